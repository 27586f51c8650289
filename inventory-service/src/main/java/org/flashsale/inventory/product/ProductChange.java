package org.flashsale.inventory.product;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** A change to a product: a null field stays as it is; an empty Optional clears a field that may be empty. */
public record ProductChange(String name, String description, Optional<String> imageUrl, Long priceCents,
        Optional<Instant> saleStartsAt, Optional<Instant> saleEndsAt, Optional<Integer> maxPerShopper,
        Boolean queue, Optional<Instant> queueOpensAt, Duration admissionTtl) {
}

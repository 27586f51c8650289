package org.flashsale.inventory.product;

import java.time.Duration;
import java.time.Instant;

/** What a new product is made of; the stock starts all available (ProductEntityRepository.create). */
public record NewProduct(String sku, String name, String description, String imageUrl, long priceCents,
        String currency, int totalStock, int stripes, Instant saleStartsAt, Instant saleEndsAt,
        Integer maxPerShopper, boolean queue, Instant queueOpensAt, Duration admissionTtl) {

    /** A product sold without a waiting room. */
    public NewProduct(String sku, String name, String description, String imageUrl, long priceCents,
            String currency, int totalStock, int stripes, Instant saleStartsAt, Instant saleEndsAt,
            Integer maxPerShopper) {
        this(sku, name, description, imageUrl, priceCents, currency, totalStock, stripes, saleStartsAt, saleEndsAt,
                maxPerShopper, false, null, QueueSettings.DEFAULT_ADMISSION_TTL);
    }
}

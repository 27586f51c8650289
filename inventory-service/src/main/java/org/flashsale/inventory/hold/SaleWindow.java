package org.flashsale.inventory.hold;

import java.time.Instant;

/** A product's sale window as the refusing statement read it; {@code ended} by that statement's clock. */
public record SaleWindow(Instant startsAt, Instant endsAt, boolean ended) {
}

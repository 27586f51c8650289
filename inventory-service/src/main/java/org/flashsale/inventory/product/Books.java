package org.flashsale.inventory.product;

import java.util.UUID;

/**
 * A product's books: total = available + held (ACTIVE) + sold (COMPLETED); {@code queue} only for a queued
 * product.
 */
public record Books(UUID productId, String name, int total, int available, long held, long sold,
        QueueCounts queue) {
}

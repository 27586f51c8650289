package org.flashsale.inventory.product;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A product's stock as read from the database (the product_stock view); {@code version} grows with every change of
 * that product, so a later read never has a smaller one.
 */
@RegisterForReflection
public record StockChange(UUID productId, int availableStock, int totalStock, long version, Instant at) {

    /** The newer of two changes of the same product. */
    public static StockChange newer(StockChange a, StockChange b) {
        return a.version() >= b.version() ? a : b;
    }
}

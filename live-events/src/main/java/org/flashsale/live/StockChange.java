package org.flashsale.live;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A product's stock right after a change; {@code version} grows by one with every change of that product. */
@RegisterForReflection
public record StockChange(UUID productId, int availableStock, int totalStock, long version, Instant at) {

    /** The newer of two changes of the same product. */
    public static StockChange newer(StockChange a, StockChange b) {
        return a.version() >= b.version() ? a : b;
    }
}

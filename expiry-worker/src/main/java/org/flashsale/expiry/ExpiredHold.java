package org.flashsale.expiry;

import java.time.Instant;
import java.util.UUID;

/** A hold this worker expired, with its product's stock right after the batch that expired it. */
public record ExpiredHold(UUID holdId, UUID shopperId, UUID productId, int quantity, Instant expiresAt,
        Instant endedAt, int availableStock, int totalStock, long stockVersion) {
}

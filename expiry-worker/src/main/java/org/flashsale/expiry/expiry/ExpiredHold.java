package org.flashsale.expiry.expiry;

import java.time.Instant;
import java.util.UUID;

/** A hold this worker expired (its units went back to its product's stock in the same statement). */
public record ExpiredHold(UUID holdId, UUID shopperId, UUID productId, int quantity, Instant expiresAt,
        Instant endedAt) {
}

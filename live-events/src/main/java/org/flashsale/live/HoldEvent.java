package org.flashsale.live;

import java.time.Instant;
import java.util.UUID;

/** Something that happened to a shopper's hold, for that shopper's live stream. */
public record HoldEvent(Change change, UUID id, UUID shopperId, UUID productId, int quantity, String status,
        Instant expiresAt, Instant endedAt) {

    public enum Change {
        CREATED,
        EXTENDED,
        COMPLETED,
        CANCELLED,
        EXPIRED
    }
}

package org.flashsale.live;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Something that happened to a shopper's hold, for that shopper's live stream. */
@RegisterForReflection
public record HoldEvent(Change change, UUID id, UUID shopperId, UUID productId, int quantity, HoldStatus status,
        Instant expiresAt, Instant endedAt) {

    public enum Change {
        CREATED,
        EXTENDED,
        COMPLETED,
        CANCELLED,
        EXPIRED
    }
}

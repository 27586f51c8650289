package org.flashsale.inventory.queue;

import java.time.Instant;
import java.util.UUID;

import org.flashsale.inventory.queue.QueueTicket.QueueState;

/** A shopper's entry as stored; {@code ahead} and {@code admittedLastMinute} only while waiting and placed. */
public record Entry(UUID productId, QueueState state, Integer position, Long ahead, Long admittedLastMinute,
        Instant admissionExpiresAt, Instant joinedAt) {
}

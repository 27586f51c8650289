package org.flashsale.inventory.queue;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A shopper's place in a product's queue (the waiting room), as they see it. */
@Schema(name = "QueueTicket")
public record QueueTicket(
        UUID productId,
        @Schema(description = "WAITING (position null until placed: the draw when the sale opens, or the keeper's "
                + "next run for a later joiner), ADMITTED (reserve before admissionExpiresAt), RESERVED (the "
                + "admission was used), LAPSED (not used in time), SOLD_OUT (the queue closed)",
                examples = "WAITING") QueueState state,
        @Schema(nullable = true, description = "The place handed out by the draw or on arrival; numbers are never "
                + "reused, so people ahead can be fewer than position - 1", examples = "57") Integer position,
        @Schema(nullable = true, description = "Shoppers still waiting ahead (while WAITING and placed)",
                examples = "41") Long ahead,
        @Schema(nullable = true, description = "Seconds until admission at the last minute's admission rate (null "
                + "while unplaced or before anyone was admitted)", examples = "90") Long estimatedWaitSeconds,
        @Schema(nullable = true, description = "While ADMITTED: reserve before this time") Instant admissionExpiresAt,
        Instant joinedAt) {

    /** Where a shopper stands in a product's queue. */
    public enum QueueState {
        WAITING, ADMITTED, RESERVED, LAPSED, SOLD_OUT
    }
}

package org.flashsale.inventory.queue;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A product's waiting room as anyone may see it, with the published draw once it ran. */
@Schema(name = "QueueStatus")
public record QueueStatus(
        UUID productId,
        @Schema(description = "NOT_QUEUED (no waiting room), SCHEDULED (joining opens at opensAt), OPEN (joining; "
                + "the draw runs when the sale starts), ADMITTING (drawn; shoppers are admitted as stock allows), "
                + "CLOSED (sold out for good, or the sale ended)", examples = "OPEN") Phase state,
        @Schema(nullable = true, description = "When joining opens (null: open as soon as the queue is on)")
        Instant opensAt,
        @Schema(nullable = true) Instant saleStartsAt,
        @Schema(description = "Shoppers waiting (not yet admitted)", examples = "18250") long length,
        @Schema(description = "Admissions open now (admitted, not yet reserved)", examples = "12") long admitted,
        @Schema(nullable = true) Instant drawnAt,
        @Schema(nullable = true, description = "The draw's seed, published once it ran: 32 hex digits",
                examples = "3f1c0e5b9a7d4c2e8b6a5f4e3d2c1b0a") String drawSeed,
        @Schema(nullable = true, description = "Entries placed by the draw (joined before drawCutoff)") Integer drawEntrants,
        @Schema(nullable = true, description = "Entries that joined before this time were in the draw") Instant drawCutoff,
        @Schema(description = "How to recompute the draw from drawSeed") String drawRecipe,
        @Schema(description = "Admissions paused by the operator: nobody new is admitted until they resume; "
                + "admissions already open keep their time") boolean paused) {

    /** The recipe of db/migration/R__keep_queues.sql, where the draw runs. */
    public static final String DRAW_RECIPE = "For each shopper who joined before drawCutoff: key = SHA-256 of the "
            + "UTF-8 bytes of drawSeed followed by the shopper's id (canonical lowercase UUID, 36 characters); "
            + "positions 1..drawEntrants go in ascending key order (bytes compared unsigned), ties by shopper id. "
            + "Later joiners follow in arrival order.";

    /** Where a product's waiting room stands. */
    @Schema(name = "QueuePhase")
    public enum Phase {
        NOT_QUEUED, SCHEDULED, OPEN, ADMITTING, CLOSED
    }
}

package org.flashsale.inventory.queue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One page of a product's published draw: the key of every place the draw handed out, in position order, so anyone
 * can check the order and every entrant can check their own place (see {@link QueueStatus#DRAW_RECIPE}).
 */
@Schema(name = "QueueDraw", description = "The draw's keys in position order. Anyone can check that the keys "
        + "ascend with the positions; an entrant computes their own key from drawSeed and their shopper id and finds "
        + "it at their position. The draw is published as it was made and never changes: a place whose shopper left "
        + "since keeps its key, and positions are never reused.")
public record QueueDraw(
        UUID productId,
        @Schema(nullable = true, description = "The draw's seed (null before the draw: then places is empty)")
        String drawSeed,
        @Schema(nullable = true) Instant drawCutoff,
        @Schema(nullable = true, description = "Places the draw handed out (positions 1..drawEntrants)")
        Integer drawEntrants,
        @Schema(description = "The draw's places from the requested position on, at most limit of them")
        List<Place> places,
        @Schema(nullable = true, description = "The `from` of the next page; null on the last", examples = "1001")
        Integer next) {

    /** A place the draw handed out and its key. */
    @Schema(name = "QueueDrawPlace")
    public record Place(
            @Schema(examples = "57") int position,
            @Schema(description = "SHA-256 of drawSeed followed by the shopper's id, as 64 lowercase hex digits",
                    examples = "9c56cc51b374c3ba189210d5b6d4bf57790d351c96c47c02190ecf1e430635ab") String key) {
    }
}

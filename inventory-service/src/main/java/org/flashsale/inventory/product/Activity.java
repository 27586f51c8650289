package org.flashsale.inventory.product;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import org.flashsale.live.Purchase;

/** What the public may see of buying: display handles and quantities, never ids or tokens (see {@link Purchase}). */
public final class Activity {

    private Activity() {
    }

    @Schema(name = "TopPurchaser")
    public record TopPurchaser(@Schema(examples = "Swift Otter 42") String handle,
            @Schema(description = "Units bought of this product", examples = "3") long units) {
    }

    @Schema(name = "ProductActivity")
    public record ProductActivity(UUID productId,
            @Schema(description = "Newest first") List<Purchase> recentPurchases,
            @Schema(description = "Most units bought first") List<TopPurchaser> topPurchasers) {
    }
}

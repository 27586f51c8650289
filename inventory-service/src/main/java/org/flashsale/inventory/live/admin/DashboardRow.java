package org.flashsale.inventory.live.admin;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One product on the operator's dashboard: its books now, the hold traffic of the last interval, and a queued
 * product's waiting room.
 */
@Schema(name = "DashboardRow")
public record DashboardRow(UUID productId, String name, int totalStock, int availableStock,
        @Schema(description = "Units in ACTIVE holds") long held,
        @Schema(description = "Units in COMPLETED holds") long sold,
        @Schema(description = "Holds created per second over the last interval") double createdPerSecond,
        @Schema(description = "Holds expired per second over the last interval") double expiredPerSecond,
        @Schema(description = "Longest expiry lag over the last interval (ms after expiresAt), null without expiries",
                nullable = true) Long expiryLagMillis,
        @Schema(description = "The waiting room's figures now; absent for a product without one")
        @JsonInclude(JsonInclude.Include.NON_NULL) DashboardQueue queue) {
}

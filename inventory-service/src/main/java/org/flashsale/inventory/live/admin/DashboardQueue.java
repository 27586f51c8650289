package org.flashsale.inventory.live.admin;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import org.flashsale.inventory.product.QueueCounts;

/** A queued product's waiting room on the operator's dashboard, read fresh with the books. */
@Schema(name = "DashboardQueue")
public record DashboardQueue(
        @Schema(description = "Shoppers waiting (not yet admitted): the queue's length", examples = "18250") long waiting,
        @Schema(description = "Admissions open now (admitted, not yet reserved, before their deadline)",
                examples = "12") long admitted,
        @Schema(description = "Admissions that lapsed unused, in total", examples = "3") long lapsed,
        @Schema(description = "Admissions per second over the last minute (the rate the estimated wait uses)",
                examples = "4.5") double admissionsPerSecond,
        @Schema(description = "Admissions paused by the operator (POST /api/admin/products/{id}/queue/pause)")
        boolean paused) {

    private static final double SECONDS_PER_RATE_WINDOW = 60;

    static DashboardQueue of(QueueCounts counts) {
        return counts == null ? null : new DashboardQueue(counts.waiting(), counts.admitted(), counts.lapsed(),
                Math.round(counts.admittedLastMinute() / SECONDS_PER_RATE_WINDOW * 100) / 100.0, counts.paused());
    }
}

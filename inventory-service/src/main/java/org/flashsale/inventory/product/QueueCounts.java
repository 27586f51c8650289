package org.flashsale.inventory.product;

/**
 * A waiting room's figures now: shoppers waiting, admissions open, admissions that lapsed (an overdue one counts
 * as lapsed at once, as the shopper's ticket says), admissions made in the last minute, and whether the operator has
 * paused admissions.
 */
public record QueueCounts(long waiting, long admitted, long lapsed, long admittedLastMinute, boolean paused) {
}

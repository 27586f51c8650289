package org.flashsale.inventory.live.stock;

import java.util.List;

import org.flashsale.inventory.live.shared.Messages.PurchaseEntry;

/**
 * What one coalesce tick sends, made once on the timer's context and then read by every event loop.
 *
 * @param generation the stock generation after this tick (it grows by one in every tick in which stock changed)
 * @param stockChanged whether this tick brought stock values (then they carry this generation)
 * @param frame the batch for a watcher that is up to date: this tick's stock and purchases; null when it has none
 * @param purchases this tick's purchases, for the frames of watchers that are behind
 * @param snapshotForAll a snapshot every watcher gets (the listener reconnected, the catalogue was replaced), or null
 * @param purchasesOnly the batch for a watcher whose snapshot of this very tick already holds its stock, or null
 */
record StockTick(long generation, boolean stockChanged, SharedFrame frame, List<PurchaseEntry> purchases,
        StockWatcher.Snapshot snapshotForAll, SharedFrame purchasesOnly) {

    /**
     * This tick in place of an older one its loop never got to: the older one's snapshot for everyone still goes out
     * (before this tick's values, which are newer); its frame and purchases do not.
     */
    StockTick replacing(StockTick older) {
        if (snapshotForAll != null || older.snapshotForAll == null) {
            return this;
        }
        return new StockTick(generation, stockChanged, frame, purchases, older.snapshotForAll, purchasesOnly);
    }

    /** The generation a watcher is at when this tick's frame is exactly what it lacks. */
    long upToDate() {
        return stockChanged ? generation - 1 : generation;
    }
}

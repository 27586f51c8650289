package org.flashsale.inventory.live.stock;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Context;

import org.flashsale.inventory.live.shared.Messages;
import org.flashsale.inventory.product.StockChange;

/**
 * The watchers whose connections live on one event loop, and their share of each tick: one task per tick on that
 * loop writes every frame, so no write hops threads and the loops write in parallel. A watcher that is up to date
 * gets the tick's shared frame; one that is behind (it was slow) gets its own, with only the newest values.
 */
final class EventLoopWatchers {

    private final StockFeed feed;
    private final ObjectMapper json;
    private final Set<StockWatcher> watchers = ConcurrentHashMap.newKeySet();
    /** Some watcher was skipped as slow: the next ticks come here even when they bring nothing new. */
    private volatile boolean someoneBehind;
    private final TickMailbox mailbox;

    EventLoopWatchers(Context context, StockFeed feed, ObjectMapper json) {
        this.feed = feed;
        this.json = json;
        this.mailbox = new TickMailbox(context, this::deliver);
    }

    void add(StockWatcher watcher) {
        watchers.add(watcher);
    }

    void remove(StockWatcher watcher) {
        watchers.remove(watcher);
    }

    boolean someoneBehind() {
        return someoneBehind;
    }

    /**
     * Hands the tick to this loop; its frames are written there, after every earlier tick's. A loop still busy with an
     * earlier tick never queues ticks ({@link TickMailbox}): its watchers then catch up with the newest values, as a
     * slow watcher does.
     */
    void dispatch(StockTick tick) {
        mailbox.post(tick);
    }

    private void deliver(StockTick tick) {
        boolean behind = false;
        Map<Long, SharedFrame> catchUps = null;
        for (StockWatcher watcher : watchers) {
            if (tick.snapshotForAll() != null) {
                watcher.snapshot = tick.snapshotForAll();
            }
            if (watcher.slow()) {
                behind = true; // it keeps its generation and gets only the newest values once it reads again
                continue;
            }
            StockWatcher.Snapshot snapshot = watcher.snapshot;
            if (snapshot != null) {
                watcher.snapshot = null;
                watcher.write(snapshot.frame());
                watcher.seen = snapshot.generation();
            }
            if (watcher.seen > tick.generation()) {
                continue; // it joined while this earlier tick waited here: its snapshot already holds this tick
            }
            if (watcher.seen == tick.upToDate()) {
                if (tick.frame() != null) {
                    watcher.write(tick.frame()); // the common case: the same bytes for every watcher
                }
            } else if (watcher.seen == tick.generation()) {
                if (tick.purchasesOnly() != null) {
                    watcher.write(tick.purchasesOnly());
                }
            } else {
                if (catchUps == null) {
                    catchUps = new HashMap<>();
                }
                SharedFrame own = catchUps.computeIfAbsent(watcher.seen, seen -> catchUp(seen, tick));
                if (own != SharedFrame.NONE) {
                    watcher.write(own);
                }
            }
            watcher.seen = tick.generation();
        }
        someoneBehind = behind;
    }

    /**
     * The frame of the watchers on this loop that have every value up to generation {@code seen} (one per loop, tick
     * and generation, shared like the tick's own); {@link SharedFrame#NONE} when they lack nothing.
     */
    private SharedFrame catchUp(long seen, StockTick tick) {
        List<StockChange> missed = feed.sentBetween(seen, tick.generation());
        if (missed.isEmpty() && tick.purchases().isEmpty()) {
            return SharedFrame.NONE;
        }
        return SharedFrame.encode(json, Messages.Batch.of(missed, tick.purchases()));
    }
}

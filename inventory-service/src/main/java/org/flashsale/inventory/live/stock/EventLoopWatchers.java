package org.flashsale.inventory.live.stock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Context;

import org.flashsale.inventory.live.shared.Messages;
import org.flashsale.inventory.product.StockChange;

/**
 * The watchers whose connections live on one event loop, and their share of each tick: one task per tick on that
 * loop writes every frame, so no write hops threads and the loops write in parallel. A watcher that is up to date
 * gets the tick's shared frame; one that is behind (it was slow) gets its own, with only the newest values. The list
 * of watchers is the loop's own (read and changed on its thread only); a tick that brings nothing but newcomers'
 * snapshots touches only the newcomers, so a connect storm costs the same per upgrade however many watch already.
 */
final class EventLoopWatchers {

    private final StockFeed feed;
    private final ObjectMapper json;
    /** This loop's watchers, each at its {@link StockWatcher#slot}; on the loop's thread only. */
    private final List<StockWatcher> watchers = new ArrayList<>();
    /** Watchers whose snapshot is ready, joining at this loop's next delivery. */
    private final Queue<StockWatcher> joining = new ConcurrentLinkedQueue<>();
    /** Some watcher was skipped as slow: the next ticks come here even when they bring nothing new. */
    private volatile boolean someoneBehind;
    private final Context context;
    private final Thread thread;
    private final TickMailbox mailbox;

    /** The watchers of the event loop running the caller (their connections' loop). */
    EventLoopWatchers(Context context, StockFeed feed, ObjectMapper json) {
        this.context = context;
        this.thread = Thread.currentThread();
        this.feed = feed;
        this.json = json;
        this.mailbox = new TickMailbox(context, this::deliver);
    }

    /** A watcher with its snapshot set: it joins at the next tick delivered here, which writes the snapshot first. */
    void join(StockWatcher watcher) {
        joining.add(watcher);
    }

    /** A watcher's connection closed (it is marked closed): it leaves the list, on this loop's thread. */
    void remove(StockWatcher watcher) {
        if (Thread.currentThread() != thread) {
            context.runOnContext(ignored -> remove(watcher));
            return;
        }
        if (watcher.slot >= 0) { // else it never joined: the closed mark keeps it from joining
            int last = watchers.size() - 1;
            StockWatcher moved = watchers.remove(last);
            if (moved != watcher) {
                watchers.set(watcher.slot, moved);
                moved.slot = watcher.slot;
            }
            watcher.slot = -1;
        }
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

    /**
     * Writes one tick to this loop's watchers: first the snapshots of those joining, then, if the tick brings anything
     * for the others (a frame, a snapshot for all, or someone to catch up), to everyone; else to the newcomers only.
     */
    private void deliver(StockTick tick) {
        List<StockWatcher> joined = join();
        boolean everyone = tick.frame() != null || tick.snapshotForAll() != null || someoneBehind;
        boolean behind = deliver(tick, everyone ? watchers : joined);
        someoneBehind = everyone ? behind : someoneBehind || behind;
    }

    /** Takes the watchers waiting to join into the list (each writes its snapshot in this delivery). */
    private List<StockWatcher> join() {
        List<StockWatcher> joined = new ArrayList<>();
        for (StockWatcher watcher = joining.poll(); watcher != null; watcher = joining.poll()) {
            if (!watcher.closed) {
                watcher.slot = watchers.size();
                watchers.add(watcher);
                joined.add(watcher);
            }
        }
        return joined;
    }

    /** Writes the tick to these watchers; true if one of them was skipped as slow. */
    private boolean deliver(StockTick tick, List<StockWatcher> to) {
        boolean behind = false;
        Map<Long, SharedFrame> catchUps = null;
        for (StockWatcher watcher : to) {
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
        return behind;
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

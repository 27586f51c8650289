package org.flashsale.inventory.live.stock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.inventory.live.shared.LiveConfig;
import org.flashsale.inventory.live.shared.Messages.PurchaseEntry;
import org.flashsale.inventory.live.shared.Messages;
import org.flashsale.inventory.product.ProductRepository;
import org.flashsale.inventory.product.StockChange;
import org.flashsale.live.Purchase;

/**
 * Everyone watching /ws/stock, and the coalesced fan-out to them. Every {@code flashsale.live.coalesce} the timer
 * reads the changed products' values and encodes one batch frame (every changed product once, its newest value, in
 * version order, and the tick's purchases); each event loop then writes that same frame to its up-to-date watchers.
 * A watcher whose earlier frame is still being written (a slow client) is skipped, and once it reads again gets one
 * frame of every product newer than what it has: server memory per watcher is one generation number, never a queue.
 */
@ApplicationScoped
public class StockSubscribers {

    private static final Logger LOG = Logger.getLogger(StockSubscribers.class);

    /** At most this many purchases go out per tick (a feed, not a ledger: the newest ones). */
    private static final int PURCHASES_PER_TICK = 20;

    private final Map<String, StockWatcher> watchers = new ConcurrentHashMap<>();
    /** One per event loop that has had a watcher, keyed by its thread. */
    private final Map<Thread, EventLoopWatchers> loops = new ConcurrentHashMap<>();
    /** Connected, waiting for their first snapshot (made by the timer, which orders it with the frames). */
    private final Queue<StockWatcher> opening = new ConcurrentLinkedQueue<>();
    /** The database's stock for a snapshot to everyone, taken by the next tick. */
    private final AtomicReference<List<StockChange>> resync = new AtomicReference<>();
    private final ConcurrentLinkedDeque<Purchase> purchases = new ConcurrentLinkedDeque<>();
    private final StockFeed feed;
    private final ProductRepository products;
    private final Pool pool;
    private final ObjectMapper json;
    private final LiveConfig config;
    private final Vertx vertx;
    // The timer's own state: touched on its context only.
    private boolean reading;
    private long generation;

    public StockSubscribers(StockFeed feed, ProductRepository products, Pool pool, ObjectMapper json,
            LiveConfig config, Vertx vertx) {
        this.feed = feed;
        this.products = products;
        this.pool = pool;
        this.json = json;
        this.config = config;
        this.vertx = vertx;
    }

    void startTicking(@Observes StartupEvent event) {
        WatcherTransport.requireAvailable();
        vertx.setPeriodic(config.coalesce().toMillis(), id -> tick());
    }

    /**
     * A new watcher, called on its connection's event loop (which its frames will be written on). Its snapshot is made
     * by the next tick from one read of every product shared by all watchers that opened meanwhile, so a rush of
     * connections costs one query per tick, not one per connection.
     */
    public void open(WebSocketConnection connection) {
        Context context = io.vertx.core.Vertx.currentContext();
        if (context == null || !Context.isOnEventLoopThread()) {
            throw new IllegalStateException("a watcher opens on its connection's event loop");
        }
        EventLoopWatchers loop = loops.computeIfAbsent(Thread.currentThread(),
                thread -> new EventLoopWatchers(context, feed, json));
        StockWatcher watcher = new StockWatcher(connection, loop);
        watchers.put(connection.id(), watcher);
        opening.add(watcher);
    }

    /** A purchase made anywhere, for every watcher's activity feed at the next tick. */
    public void purchase(Purchase purchase) {
        purchases.addLast(purchase);
        while (purchases.size() > PURCHASES_PER_TICK) {
            purchases.pollFirst();
        }
    }

    public void close(WebSocketConnection connection) {
        StockWatcher watcher = watchers.remove(connection.id());
        if (watcher != null) {
            watcher.closed = true;
            watcher.loop.remove(watcher);
        }
    }

    /** After the listener (re)connects or the catalogue is replaced: everyone gets a fresh snapshot. */
    public Uni<Void> resyncAll() {
        return products.stock(pool).invoke(resync::set).replaceWithVoid();
    }

    /**
     * Every {@code flashsale.live.coalesce}: reads the current stock of the products heard to have changed (one query,
     * whatever the number of changes) — of every product when watchers are waiting for their snapshot — then sends.
     * Both run on the timer's context, one tick at a time, and each event loop runs the ticks handed to it in order,
     * so a watcher's frames never overtake each other (a snapshot is never followed by an older value).
     */
    void tick() {
        if (reading) {
            return;
        }
        Set<UUID> heard = feed.takeHeard();
        List<StockWatcher> opened = new ArrayList<>();
        for (StockWatcher watcher = opening.poll(); watcher != null; watcher = opening.poll()) {
            if (!watcher.closed) {
                opened.add(watcher);
            }
        }
        if (heard.isEmpty() && opened.isEmpty()) {
            send(List.of(), null);
            return;
        }
        reading = true;
        io.vertx.mutiny.core.Context context = vertx.getOrCreateContext();
        (opened.isEmpty() ? products.stock(pool, heard) : products.stock(pool)).subscribe().with(
                stock -> context.runOnContext(() -> {
                    reading = false;
                    stock.forEach(feed::apply);
                    send(opened, opened.isEmpty() ? null : stock);
                }),
                failure -> context.runOnContext(() -> {
                    reading = false;
                    heard.forEach(feed::heard); // read again at the next tick
                    opening.addAll(opened);
                    LOG.warnf("could not read changed stock: %s", failure.getMessage());
                }));
    }

    /** Sends this tick: snapshots to the watchers that opened (from {@code everything}, read for them), then the frames. */
    private void send(List<StockWatcher> opened, List<StockChange> everything) {
        // Snapshots first: each product at the newer of the database's value and ours, which then is ours too, so
        // this tick's frame and every later one carry nothing older than a snapshot does.
        List<StockChange> forAll = resync.getAndSet(null);
        SharedFrame snapshotForAll = forAll == null ? null : snapshot(forAll);
        SharedFrame snapshotForOpened = opened.isEmpty() || snapshotForAll != null ? snapshotForAll : snapshot(everything);

        List<StockChange> changed = feed.takeChanged();
        changed.sort(StockFeed.BY_VERSION);
        if (!changed.isEmpty()) {
            generation++;
            feed.sent(changed, generation);
        }
        List<PurchaseEntry> bought = new ArrayList<>();
        for (Purchase purchase = purchases.pollFirst(); purchase != null; purchase = purchases.pollFirst()) {
            bought.add(PurchaseEntry.of(purchase));
        }
        boolean anySnapshot = snapshotForAll != null || !opened.isEmpty();
        StockTick tick = new StockTick(generation, !changed.isEmpty(),
                changed.isEmpty() && bought.isEmpty() ? null : batch(changed, bought), bought,
                snapshotForAll == null ? null : new StockWatcher.Snapshot(snapshotForAll, generation),
                anySnapshot && !changed.isEmpty() && !bought.isEmpty() ? batch(List.of(), bought) : null);

        for (StockWatcher watcher : opened) {
            watcher.snapshot = new StockWatcher.Snapshot(snapshotForOpened, generation);
            watcher.loop.join(watcher);
        }
        for (EventLoopWatchers loop : loops.values()) {
            if (tick.frame() != null || anySnapshot || loop.someoneBehind()) {
                loop.dispatch(tick);
            }
        }
    }

    private SharedFrame snapshot(List<StockChange> fromDatabase) {
        return SharedFrame.encode(json, Messages.Snapshot.of(fromDatabase.stream().map(feed::newest).toList()));
    }

    private SharedFrame batch(List<StockChange> stock, List<PurchaseEntry> bought) {
        return SharedFrame.encode(json, Messages.Batch.of(stock, bought));
    }
}

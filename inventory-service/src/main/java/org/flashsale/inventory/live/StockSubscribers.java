package org.flashsale.inventory.live;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.inventory.repository.ProductRepository;
import org.flashsale.live.Purchase;
import org.flashsale.inventory.StockChange;

/**
 * Everyone watching /ws/stock, and the coalesced fan-out to them. Every {@code flashsale.live.coalesce} interval each
 * changed product's newest value is encoded once and sent to every watcher that has not seen it. A watcher whose
 * earlier messages are still being written (a slow client) is skipped and later sent only the newest values: server
 * memory per watcher is one version number per product, never a queue.
 */
@ApplicationScoped
public class StockSubscribers {

    private static final Logger LOG = Logger.getLogger(StockSubscribers.class);

    /** At most this many purchases go out per tick (a feed, not a ledger: the newest ones). */
    private static final int PURCHASES_PER_TICK = 20;

    private final Map<String, Watcher> watchers = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<Purchase> purchases = new ConcurrentLinkedDeque<>();
    private final StockFeed feed;
    private final ProductRepository products;
    private final Pool pool;
    private final ObjectMapper json;
    private final LiveConfig config;
    private final Vertx vertx;
    private boolean reading;

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
        vertx.setPeriodic(config.coalesce().toMillis(), id -> tick());
    }

    /** A new watcher gets the snapshot of every product (read from the database) at the next tick. */
    public Uni<Void> open(WebSocketConnection connection) {
        return products.stock(pool).invoke(stock -> {
            Watcher watcher = new Watcher(connection);
            watcher.pendingSnapshot = stock;
            watchers.put(connection.id(), watcher);
        }).replaceWithVoid();
    }

    /** A purchase made anywhere, for every watcher's activity feed at the next tick. */
    public void purchase(Purchase purchase) {
        purchases.addLast(purchase);
        while (purchases.size() > PURCHASES_PER_TICK) {
            purchases.pollFirst();
        }
    }

    public void close(WebSocketConnection connection) {
        watchers.remove(connection.id());
    }

    /** After the listener (re)connects or the catalogue is replaced: everyone gets a fresh snapshot. */
    public Uni<Void> resyncAll() {
        return products.stock(pool).invoke(stock -> watchers.values().forEach(w -> w.pendingSnapshot = stock))
                .replaceWithVoid();
    }

    /**
     * Every {@code flashsale.live.coalesce}: reads the current stock of the products heard to have changed (one query,
     * whatever the number of changes), then sends. Both run on the timer's event-loop context, one tick at a time, so
     * it is the only writer to watchers and a watcher's messages never overtake each other (a snapshot never follows
     * a newer stock message).
     */
    void tick() {
        if (reading) {
            return;
        }
        Set<UUID> heard = feed.takeHeard();
        if (heard.isEmpty()) {
            send();
            return;
        }
        reading = true;
        Context context = vertx.getOrCreateContext();
        products.stock(pool, heard).subscribe().with(
                stock -> context.runOnContext(() -> {
                    reading = false;
                    stock.forEach(feed::apply);
                    send();
                }),
                failure -> context.runOnContext(() -> {
                    reading = false;
                    heard.forEach(feed::heard); // read again at the next tick
                    LOG.warnf("could not read changed stock: %s", failure.getMessage());
                }));
    }

    private void send() {
        List<StockChange> changed = feed.takeChanged();
        Map<UUID, String> encoded = new HashMap<>();
        for (StockChange change : changed) {
            encoded.put(change.productId(), encode(Messages.Stock.of(change)));
        }
        List<String> bought = new ArrayList<>();
        for (Purchase purchase = purchases.pollFirst(); purchase != null; purchase = purchases.pollFirst()) {
            bought.add(encode(Messages.PurchaseMessage.of(purchase)));
        }
        for (Watcher watcher : watchers.values()) {
            // Slow: still writing an earlier tick's messages (not the ones written just below, in this tick).
            boolean slow = watcher.writing.get() > 0;
            List<StockChange> snapshot = watcher.pendingSnapshot;
            if (snapshot != null) {
                watcher.pendingSnapshot = null;
                sendSnapshot(watcher, snapshot);
            } else if (slow) {
                watcher.behind = true;
            } else if (watcher.behind) {
                watcher.behind = false;
                sendNewer(watcher, feed.all(), null);
            } else if (!changed.isEmpty()) {
                sendNewer(watcher, changed, encoded);
            }
            if (!slow) {
                bought.forEach(message -> write(watcher, message)); // a slow watcher misses some of the feed
            }
        }
    }

    /** The snapshot, each product at the newer of the database's value and what this instance has heard since. */
    private void sendSnapshot(Watcher watcher, List<StockChange> fromDatabase) {
        List<StockChange> stock = fromDatabase.stream().map(feed::newest).toList();
        watcher.sent.clear();
        stock.forEach(change -> watcher.sent.put(change.productId(), change.version()));
        write(watcher, encode(Messages.Snapshot.of(stock)));
    }

    private void sendNewer(Watcher watcher, Collection<StockChange> candidates, Map<UUID, String> encoded) {
        for (StockChange change : candidates) {
            Long seen = watcher.sent.get(change.productId());
            if (seen == null || change.version() > seen) {
                watcher.sent.put(change.productId(), change.version());
                String message = encoded != null ? encoded.get(change.productId()) : encode(Messages.Stock.of(change));
                write(watcher, message);
            }
        }
    }

    private void write(Watcher watcher, String message) {
        if (!watcher.connection.isOpen()) {
            return;
        }
        watcher.writing.incrementAndGet();
        watcher.connection.sendText(message).subscribe().with(
                ignored -> watcher.writing.decrementAndGet(),
                failure -> {
                    watcher.writing.decrementAndGet();
                    LOG.debugf("could not write to %s: %s", watcher.connection.id(), failure.getMessage());
                });
    }

    private String encode(Object message) {
        return Messages.encode(json, message);
    }

    private static final class Watcher {
        final WebSocketConnection connection;
        final Map<UUID, Long> sent = new ConcurrentHashMap<>();
        final AtomicInteger writing = new AtomicInteger();
        volatile boolean behind;
        volatile List<StockChange> pendingSnapshot;

        Watcher(WebSocketConnection connection) {
            this.connection = connection;
        }
    }
}

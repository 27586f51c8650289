package org.flashsale.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Announces changes to every process after they commit, never inside the transaction that made them: NOTIFY takes
 * a database-wide lock at commit, so it stays out of the hot reserve path. Changes are coalesced: within one flush
 * window a product is named once however often its stock changed, and all of it goes in as few NOTIFYs as fit.
 */
@ApplicationScoped
public class LivePublisher {

    private static final Logger LOG = Logger.getLogger(LivePublisher.class);
    private static final long FLUSH_DELAY_MILLIS = 5;
    /**
     * The NOTIFY's own transaction does not wait for its commit to reach the disk: a notification lost in a crash
     * costs nothing (listeners resynchronise on reconnect), while a flush per NOTIFY would compete with reserves.
     */
    private static final String NOTIFY = "SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, $2)";

    private final Pool pool;
    private final Vertx vertx;

    private final Set<UUID> pendingStock = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<HoldEvent> pendingHolds = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Purchase> pendingPurchases = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean pendingResync = new AtomicBoolean();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();

    public LivePublisher(Pool pool, Vertx vertx) {
        this.pool = pool;
        this.vertx = vertx;
    }

    /** The product's stock changed (committed). */
    public void stock(UUID productId) {
        pendingStock.add(productId);
        scheduleFlush();
    }

    public void hold(HoldEvent event) {
        pendingHolds.add(event);
        scheduleFlush();
    }

    /** A completed purchase, for the public activity feed. */
    public void purchase(Purchase purchase) {
        pendingPurchases.add(purchase);
        scheduleFlush();
    }

    /** Every listener sends its clients a fresh snapshot (the catalogue changed). */
    public void resync() {
        pendingResync.set(true);
        scheduleFlush();
    }

    private void scheduleFlush() {
        if (flushScheduled.compareAndSet(false, true)) {
            vertx.setTimer(FLUSH_DELAY_MILLIS, id -> flush().subscribe().with(ignored -> { },
                    e -> LOG.warnf("could not announce live changes: %s", e.getMessage())));
        }
    }

    Uni<Void> flush() {
        flushScheduled.set(false);
        List<UUID> stock = new ArrayList<>();
        for (UUID product : pendingStock) {
            if (pendingStock.remove(product)) {
                stock.add(product);
            }
        }
        List<HoldEvent> holds = new ArrayList<>();
        for (HoldEvent event = pendingHolds.poll(); event != null; event = pendingHolds.poll()) {
            holds.add(event);
        }
        List<Purchase> purchases = new ArrayList<>();
        for (Purchase purchase = pendingPurchases.poll(); purchase != null; purchase = pendingPurchases.poll()) {
            purchases.add(purchase);
        }
        List<String> payloads = LiveCodec.encode(stock, holds, purchases, pendingResync.getAndSet(false));
        Uni<Void> sent = Uni.createFrom().voidItem();
        for (String payload : payloads) {
            sent = sent.chain(() -> pool.preparedQuery(NOTIFY).execute(Tuple.of(LiveChannels.EVENTS, payload))
                    .replaceWithVoid());
        }
        return sent;
    }
}

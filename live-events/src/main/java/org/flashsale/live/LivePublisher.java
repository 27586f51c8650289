package org.flashsale.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Announces changes to every process after they commit, never inside the transaction that made them: NOTIFY takes
 * a database-wide lock at commit, so it stays out of the hot reserve path. Changes are coalesced: within one flush
 * window a product is named once however often its stock changed, and all of it goes in as few NOTIFYs as fit.
 * A NOTIFY that fails (the database restarting, a connection dropped) loses nothing: it and the ones after it are
 * kept, in order, and sent again after {@link #RETRY_DELAY_MILLIS}. Only when more than {@link #MOST_KEPT} pile up
 * are the oldest dropped, and then every listener is told to resynchronise (fresh stock snapshots for its watchers).
 * One flush at a time, so announcements go out in the order they were made. At shutdown what is pending goes out
 * at once (the last changes a draining instance made reach the others' watchers), and nothing is retried after.
 */
@ApplicationScoped
public class LivePublisher {

    private static final Logger LOG = Logger.getLogger(LivePublisher.class);
    private static final long FLUSH_DELAY_MILLIS = 5;
    static final long RETRY_DELAY_MILLIS = 500;
    static final int MOST_KEPT = 1000;
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
    private final Set<UUID> pendingQueues = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean pendingResync = new AtomicBoolean();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private volatile boolean stopping;
    /** Payloads a failed NOTIFY left unsent, oldest first. */
    private final ConcurrentLinkedDeque<String> unsent = new ConcurrentLinkedDeque<>();

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

    /** The product's waiting room changed (committed): places, admissions, lapses, uses, the close. */
    public void queue(UUID productId) {
        pendingQueues.add(productId);
        scheduleFlush();
    }

    /** Every listener sends its clients a fresh snapshot (the catalogue changed). */
    public void resync() {
        pendingResync.set(true);
        scheduleFlush();
    }

    private void scheduleFlush() {
        scheduleFlush(FLUSH_DELAY_MILLIS);
    }

    /** Before the pool closes: the last announcements go now, and no timer outlives the app. */
    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        try {
            flush().await().atMost(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.debugf("the last live changes were not announced at shutdown: %s", e.toString());
        }
    }

    private void scheduleFlush(long delayMillis) {
        if (stopping) {
            return;
        }
        if (flushScheduled.compareAndSet(false, true)) {
            vertx.setTimer(delayMillis, id -> flush().subscribe().with(ignored -> { },
                    e -> LOG.warnf("could not announce live changes: %s", e.getMessage())));
        }
    }

    /** Sends what is kept and what is pending; the next flush is scheduled when more is waiting (or to retry). */
    Uni<Void> flush() {
        flushScheduled.set(false);
        if (!flushing.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem(); // the flush in flight schedules the next one when it ends
        }
        List<String> payloads = new ArrayList<>();
        for (String kept = unsent.pollFirst(); kept != null; kept = unsent.pollFirst()) {
            payloads.add(kept);
        }
        payloads.addAll(takePending());
        return send(payloads, 0).invoke(delivered -> {
            flushing.set(false);
            if (!delivered) {
                scheduleFlush(RETRY_DELAY_MILLIS);
            } else if (hasPending()) {
                scheduleFlush();
            }
        }).replaceWithVoid();
    }

    /** Sends payloads[from..] in order; on a failure keeps that one and the rest for the retry. True when all went. */
    private Uni<Boolean> send(List<String> payloads, int from) {
        if (from == payloads.size()) {
            return Uni.createFrom().item(true);
        }
        return pool.preparedQuery(NOTIFY).execute(Tuple.of(LiveChannels.EVENTS, payloads.get(from)))
                .onItemOrFailure().transformToUni((sent, failure) -> {
                    if (failure == null) {
                        return send(payloads, from + 1);
                    }
                    keep(payloads.subList(from, payloads.size()));
                    if (stopping) {
                        LOG.debugf("%d live messages not announced at shutdown: %s", unsent.size(), failure.getMessage());
                        return Uni.createFrom().item(false);
                    }
                    LOG.warnf("could not announce live changes, %d messages kept to send again: %s", unsent.size(),
                            failure.getMessage());
                    return Uni.createFrom().item(false);
                });
    }

    /** Back at the front, before anything announced meanwhile; past MOST_KEPT the oldest go and listeners resync. */
    private void keep(List<String> payloads) {
        for (int i = payloads.size() - 1; i >= 0; i--) {
            unsent.addFirst(payloads.get(i));
        }
        boolean dropped = false;
        while (unsent.size() > MOST_KEPT) {
            unsent.pollFirst();
            dropped = true;
        }
        if (dropped) {
            pendingResync.set(true);
        }
    }

    private boolean hasPending() {
        return !unsent.isEmpty() || !pendingStock.isEmpty() || !pendingHolds.isEmpty() || !pendingPurchases.isEmpty()
                || !pendingQueues.isEmpty() || pendingResync.get();
    }

    private List<String> takePending() {
        List<UUID> stock = take(pendingStock);
        List<HoldEvent> holds = new ArrayList<>();
        for (HoldEvent event = pendingHolds.poll(); event != null; event = pendingHolds.poll()) {
            holds.add(event);
        }
        List<Purchase> purchases = new ArrayList<>();
        for (Purchase purchase = pendingPurchases.poll(); purchase != null; purchase = pendingPurchases.poll()) {
            purchases.add(purchase);
        }
        return LiveCodec.encode(stock, holds, purchases, take(pendingQueues), pendingResync.getAndSet(false));
    }

    private static List<UUID> take(Set<UUID> pending) {
        List<UUID> taken = new ArrayList<>();
        for (UUID product : pending) {
            if (pending.remove(product)) {
                taken.add(product);
            }
        }
        return taken;
    }
}

package org.flashsale.expiry.expiry;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

import org.flashsale.live.HoldEvent;
import org.flashsale.live.HoldStatus;
import org.flashsale.live.LivePublisher;

/**
 * Expires due holds: drains everything due in batches, then sleeps until the next hold is due (read from the
 * database after each drain), so stock comes back on time rather than up to a poll interval late. The scheduled
 * poll ({@link ExpiryScheduler}) is the safety net that also notices holds created while no wake-up is pending.
 * Any number of workers may run: each batch claims its holds with {@code FOR UPDATE SKIP LOCKED}.
 */
@ApplicationScoped
public class ExpiryLoop {

    private static final Logger LOG = Logger.getLogger(ExpiryLoop.class);

    private final HoldExpiryRepository repository;
    private final ExpiryMetrics metrics;
    private final ExpiryConfig config;
    private final Vertx vertx;
    private final LivePublisher live;

    private final AtomicBoolean draining = new AtomicBoolean();
    private long wakeTimer = -1;

    public ExpiryLoop(HoldExpiryRepository repository, ExpiryMetrics metrics, ExpiryConfig config, Vertx vertx,
            LivePublisher live) {
        this.repository = repository;
        this.metrics = metrics;
        this.config = config;
        this.vertx = vertx;
        this.live = live;
    }

    /**
     * Drains, then arms the next wake-up. If a drain is already running this does nothing: that drain reads the
     * next due time when it finishes. A failure (e.g. the database is down) is logged; the next poll retries.
     */
    public Uni<Void> runOnce() {
        if (!draining.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        return drain()
                .chain(repository::untilNextDue)
                .invoke(this::armWakeUp)
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("expiry run failed, will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .eventually(() -> draining.set(false));
    }

    /** Expires batches until one comes back short: then nothing more is due (or another worker holds it). */
    private Uni<Void> drain() {
        long started = System.nanoTime();
        return repository.expireDueBatch(config.batchSize()).flatMap(expired -> {
            if (expired.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            record(expired, Duration.ofNanos(System.nanoTime() - started));
            return expired.size() < config.batchSize() ? Uni.createFrom().voidItem() : drain();
        });
    }

    private void record(List<ExpiredHold> expired, Duration took) {
        metrics.recordBatch(expired, took);
        announce(expired);
        if (LOG.isDebugEnabled()) {
            LOG.debugf("expired %d holds (%d units) in %d ms", expired.size(),
                    expired.stream().mapToInt(ExpiredHold::quantity).sum(), took.toMillis());
        }
    }

    /** After the batch committed: the stock that came back, and each shopper's expired hold. */
    private void announce(List<ExpiredHold> expired) {
        for (ExpiredHold hold : expired) {
            live.stock(hold.productId());
            live.hold(new HoldEvent(HoldEvent.Change.EXPIRED, hold.holdId(), hold.shopperId(), hold.productId(),
                    hold.quantity(), HoldStatus.EXPIRED, hold.expiresAt(), hold.endedAt()));
        }
    }

    /** Wakes at the next due time when that comes before the next poll; the poll covers the rest. */
    private synchronized void armWakeUp(Optional<Duration> untilNextDue) {
        if (wakeTimer >= 0) {
            vertx.cancelTimer(wakeTimer);
            wakeTimer = -1;
        }
        if (untilNextDue.isEmpty() || untilNextDue.get().compareTo(config.pollInterval()) >= 0) {
            return;
        }
        Duration delay = untilNextDue.get().compareTo(config.minWakeGap()) < 0 ? config.minWakeGap() : untilNextDue.get();
        wakeTimer = vertx.setTimer(delay.toMillis(), id -> {
            synchronized (this) {
                if (wakeTimer == id) {
                    wakeTimer = -1;
                }
            }
            runOnce().subscribe().with(ignored -> { });
        });
    }
}

package org.flashsale.expiry.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;

import org.flashsale.expiry.upkeep.FailureStreak;
import org.flashsale.live.LivePublisher;

/**
 * Keeps the waiting rooms every {@code flashsale.queue.keeper-interval}: one call of the database function
 * {@code keep_queues} (inventory-service's db/migration/R__keep_queues.sql, its one home), which claims each queued
 * product's queue row FOR UPDATE SKIP LOCKED, so any number of workers keep each queue exactly once at a time, and
 * does the draw, placing, admission in position order, lapses and the sold-out close in that one transaction. A
 * worker killed mid-run loses nothing: the transaction rolls back and the next run (this worker's or another's) does
 * it all again. After the run (its transaction committed) every product whose queue changed is announced on the live
 * channel, so each inventory-service instance pushes the news to the shoppers it holds (/ws/shopper).
 */
@ApplicationScoped
public class QueueKeeper {

    private static final Logger LOG = Logger.getLogger(QueueKeeper.class);
    private static final String KEEP = "SELECT * FROM keep_queues($1, $2)";

    /** What one run did to one product's queue. */
    public record Kept(UUID productId, boolean drawn, int placed, int admitted, int lapsed, int soldOut) {

        /** Whether some shopper's ticket changed: a place handed out, an admission, a lapse, the close. */
        boolean changed() {
            return drawn || placed > 0 || admitted > 0 || lapsed > 0 || soldOut > 0;
        }
    }

    private final Pool pool;
    private final Vertx vertx;
    private final QueueConfig config;
    private final AtomicBoolean running = new AtomicBoolean();
    private final LivePublisher live;
    private final Tuple arguments;
    private final Counter placed;
    private final Counter admitted;
    private final Counter lapsed;
    private final Counter soldOut;
    private final FailureStreak failures = new FailureStreak(LOG, "could not keep the queues", "keeping queues again");

    public QueueKeeper(Pool pool, Vertx vertx, LivePublisher live, QueueConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
        this.live = live;
        this.arguments = Tuple.of(Numeric.create(config.admissionFactor()), config.maxProductsPerRun());
        placed = counter(registry, "flashsale.queue.placed", "Queue entries given a position (draw or arrival)");
        admitted = counter(registry, "flashsale.queue.admitted", "Shoppers admitted from a queue");
        lapsed = counter(registry, "flashsale.queue.lapsed", "Admissions that lapsed unused");
        soldOut = counter(registry, "flashsale.queue.sold.out", "Queue entries told the product sold out");
    }

    private static Counter counter(MeterRegistry registry, String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    /**
     * Starts the runs on a Vert.x timer rather than {@code @Scheduled}: Quarkus's scheduler checks its triggers once
     * a second, so a 250 ms interval ran about once a second (measured: a median gap of 1,002 ms between runs). A
     * run still in progress when the timer fires is not overlapped: that firing is skipped.
     */
    void start(@Observes StartupEvent event) {
        config.keeperInterval().ifPresent(interval -> vertx.setPeriodic(1000, interval.toMillis(), id -> keep()));
    }

    private void keep() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        run().subscribe().with(kept -> running.set(false), failure -> {
            running.set(false);
            failures.failed(failure);
        });
    }

    /** One keeper run over the queues no other run is keeping now; what it did, per product. */
    public Uni<List<Kept>> run() {
        return pool.preparedQuery(KEEP).execute(arguments).map(rows -> {
            List<Kept> kept = new ArrayList<>(rows.size());
            rows.forEach(row -> kept.add(new Kept(row.getUUID("product_id"), row.getBoolean("drawn"),
                    row.getInteger("placed"), row.getInteger("admitted"), row.getInteger("lapsed"),
                    row.getInteger("sold_out"))));
            kept.forEach(this::countAndAnnounce);
            failures.succeeded();
            return kept;
        });
    }

    private void countAndAnnounce(Kept kept) {
        if (kept.changed()) {
            live.queue(kept.productId());
        }
        placed.increment(kept.placed());
        admitted.increment(kept.admitted());
        lapsed.increment(kept.lapsed());
        soldOut.increment(kept.soldOut());
        if (kept.drawn()) {
            LOG.infof("queue of product %s drawn: %d placed", kept.productId(), kept.placed());
        }
    }
}

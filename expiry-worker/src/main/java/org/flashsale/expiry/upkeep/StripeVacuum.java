package org.flashsale.expiry.upkeep;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Vacuums {@code stock_stripes} every {@code flashsale.stripe-vacuum.interval} (1 s, see
 * {@link org.flashsale.expiry.config.StripeVacuumConfig}). A flash sale updates a handful of
 * stripe rows hundreds of times a second; every update leaves a dead row version behind, and PostgreSQL's own pruning
 * rarely gets the page to itself while reserves keep it pinned. Autovacuum wakes at most once a
 * {@code autovacuum_naptime} (a minute by default, and server-wide), so between its visits each reserve wades through
 * thousands of dead versions: measured, PostgreSQL spent 3x the CPU per reserve and did a third of the reserves
 * (bench/README.md). Vacuuming the tiny table every second keeps it clean for a millisecond of work. {@code SKIP_LOCKED}
 * lets several workers run it without queueing behind each other.
 */
@ApplicationScoped
public class StripeVacuum {

    private static final Logger LOG = Logger.getLogger(StripeVacuum.class);
    static final String VACUUM = "VACUUM (SKIP_LOCKED) stock_stripes";

    private final Pool pool;
    private final Counter runs;
    private final AtomicBoolean failing = new AtomicBoolean();

    public StripeVacuum(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        runs = Counter.builder("flashsale.stripe.vacuums").description("VACUUMs of stock_stripes run").register(registry);
    }

    @Scheduled(identity = "stripe-vacuum", every = "{flashsale.stripe-vacuum.interval}", delayed = "1s",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run().onFailure().invoke(e -> {
            if (failing.compareAndSet(false, true)) { // once per streak, not every second
                LOG.warnf("could not vacuum stock_stripes (the worker's database user must own it or hold MAINTAIN on it): %s",
                        e.getMessage());
            }
        }).onFailure().recoverWithNull();
    }

    /** One VACUUM of {@code stock_stripes} (skipped by PostgreSQL when another session is vacuuming it). */
    public Uni<Void> run() {
        return pool.query(VACUUM).execute().invoke(() -> {
            runs.increment();
            if (failing.compareAndSet(true, false)) {
                LOG.info("vacuuming stock_stripes again");
            }
        }).replaceWithVoid();
    }
}

package org.flashsale.expiry.upkeep;

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
 * {@link StripeVacuumConfig}). A flash sale updates a handful of
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
    private final FailureStreak failures = new FailureStreak(LOG,
            "could not vacuum stock_stripes (the worker's database user must own it or hold MAINTAIN on it)",
            "vacuuming stock_stripes again");

    public StripeVacuum(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        runs = Counter.builder("flashsale.stripe.vacuums").description("VACUUMs of stock_stripes run").register(registry);
    }

    @Scheduled(identity = "stripe-vacuum", every = "{flashsale.stripe-vacuum.interval}", delayed = "1s",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run().onFailure().invoke(failures::failed).onFailure().recoverWithNull();
    }

    /** One VACUUM of {@code stock_stripes} (skipped by PostgreSQL when another session is vacuuming it). */
    public Uni<Void> run() {
        return pool.query(VACUUM).execute().invoke(() -> {
            runs.increment();
            failures.succeeded();
        }).replaceWithVoid();
    }
}

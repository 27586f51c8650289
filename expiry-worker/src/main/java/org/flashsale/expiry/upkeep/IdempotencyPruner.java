package org.flashsale.expiry.upkeep;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Forgets Idempotency-Key records older than {@code flashsale.idempotency.retention} (24 h), every
 * {@code flashsale.idempotency.prune-interval} (1 min; both in {@link IdempotencyConfig}). A key is a client's way to
 * retry one request safely for a while, not forever; without pruning the table grows by one row per keyed request.
 * Deletes in batches, each its own short statement, at most {@link #MAX_BATCHES_PER_RUN} a run (a large backlog goes
 * over several runs, never in one long burst during a sale), and skips rows another worker is deleting, so several
 * workers share the work.
 */
@ApplicationScoped
public class IdempotencyPruner {

    private static final Logger LOG = Logger.getLogger(IdempotencyPruner.class);
    static final int BATCH = 5_000;
    static final int MAX_BATCHES_PER_RUN = 20;
    private static final String DELETE_BATCH = """
            DELETE FROM idempotency_records r
            USING (SELECT shopper_id, idempotency_key FROM idempotency_records
                   WHERE created_at < now() - $1 * interval '1 millisecond'
                   ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED) old
            WHERE r.shopper_id = old.shopper_id AND r.idempotency_key = old.idempotency_key
            """;

    private final Pool pool;
    private final Duration retention;
    private final Counter pruned;

    public IdempotencyPruner(Pool pool, MeterRegistry registry, IdempotencyConfig config) {
        this.pool = pool;
        this.retention = config.retention();
        pruned = Counter.builder("flashsale.idempotency.pruned")
                .description("Idempotency-Key records deleted after their retention").register(registry);
    }

    @Scheduled(identity = "idempotency-prune", every = "{flashsale.idempotency.prune-interval}", delayed = "10s",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run().onFailure().invoke(e -> LOG.warnf("could not prune idempotency records: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Deletes records past their retention, a batch at a time, up to {@link #MAX_BATCHES_PER_RUN}; the number deleted. */
    public Uni<Long> run() {
        return deleteFrom(0, 1);
    }

    private Uni<Long> deleteFrom(long deletedSoFar, int batch) {
        return pool.preparedQuery(DELETE_BATCH).execute(Tuple.of(retention.toMillis(), BATCH)).flatMap(rows -> {
            pruned.increment(rows.rowCount());
            long deleted = deletedSoFar + rows.rowCount();
            return rows.rowCount() < BATCH || batch == MAX_BATCHES_PER_RUN
                    ? Uni.createFrom().item(deleted)
                    : deleteFrom(deleted, batch + 1);
        });
    }
}

package org.flashsale.inventory.hold;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Keeps PostgreSQL's idea of how big {@code holds} is in step with a drop that grows it from (nearly) nothing: once
 * the holds this instance created since it last looked reach the rows the planner believes the table has (and at
 * least {@value #MIN_CREATED}), it runs {@code ANALYZE (SKIP_LOCKED) holds} — the table may have doubled since.
 *
 * <p>While holds is tiny (a new shop, or one emptied and vacuumed) a sequential scan is the cheapest way to find a
 * shopper's ACTIVE hold, and the plan a connection caches for the reserve in the drop's first milliseconds keeps
 * scanning the whole table as it grows by thousands a second: a cached plan is made again only when the table's
 * statistics change, which autovacuum does at most once a minute. Counted here, on the reserves themselves, it takes
 * no timer and no other process. Doubling: a drop on an empty table costs a handful of ANALYZEs, each of a small
 * table; a shop with a past (hundreds of thousands of holds) sees none during a drop. What the statistics say of
 * ACTIVE holds no longer steers the reserve's plans (V13__active_hold_lookup.sql), so the table's size is all this
 * keeps current.
 */
@ApplicationScoped
public class HoldsGrowth {

    private static final Logger LOG = Logger.getLogger(HoldsGrowth.class);
    static final long MIN_CREATED = 250;
    static final String PLANNED_ROWS = "SELECT greatest(reltuples, 0)::bigint AS planned FROM pg_class "
            + "WHERE oid = 'holds'::regclass";
    static final String ANALYZE = "ANALYZE (SKIP_LOCKED) holds";

    private final Pool pool;
    private final Counter analyzes;
    private final AtomicLong created = new AtomicLong();
    private final AtomicBoolean looking = new AtomicBoolean();
    private volatile long threshold = MIN_CREATED;

    public HoldsGrowth(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        analyzes = Counter.builder("flashsale.holds.analyzes")
                .description("ANALYZEs of holds this instance ran as its reserves grew the table").register(registry);
    }

    /** A reserve created a hold (rather than adding to the shopper's). */
    void created() {
        if (created.incrementAndGet() >= threshold && looking.compareAndSet(false, true)) {
            look().subscribe().with(ignored -> looking.set(false), failure -> {
                threshold = created.get() + threshold; // try again after as many more
                looking.set(false);
                LOG.warnf("could not analyze holds (the service's database user must own it or hold MAINTAIN on it): %s",
                        failure.getMessage());
            });
        }
    }

    private Uni<Void> look() {
        return plannedRows().flatMap(planned -> {
            long seen = created.get();
            if (seen < Math.max(MIN_CREATED, planned)) { // the table is larger than this instance's count says
                threshold = Math.max(MIN_CREATED, planned);
                return Uni.createFrom().voidItem();
            }
            return pool.query(ANALYZE).execute()
                    .flatMap(ignored -> {
                        created.addAndGet(-seen);
                        analyzes.increment();
                        return plannedRows();
                    })
                    .invoke(now -> threshold = Math.max(MIN_CREATED, now))
                    .replaceWithVoid();
        });
    }

    private Uni<Long> plannedRows() {
        return pool.query(PLANNED_ROWS).execute().map(rows -> rows.iterator().next().getLong("planned"));
    }
}

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
 * Keeps PostgreSQL's idea of how big {@code holds} is in step with a drop that grows it from (nearly) nothing: every
 * {@value #MIN_CREATED} holds this instance creates, it reads the rows the planner believes the table has, and once
 * the holds it created since its last ANALYZE reach them (the table may have doubled), it runs
 * {@code ANALYZE (SKIP_LOCKED) holds}.
 *
 * <p>While holds is tiny (a new shop, or one emptied and vacuumed) a sequential scan is the cheapest way to find a
 * shopper's ACTIVE hold, and the plan a connection caches for the reserve in the drop's first milliseconds keeps
 * scanning the whole table as it grows by thousands a second: a cached plan is made again only when the table's
 * statistics change, which autovacuum does at most once a minute. Counted here, on the reserves themselves, it takes
 * no timer and no other process. Doubling: a drop on an empty table costs a handful of ANALYZEs, each of a small
 * table; a shop with a past (hundreds of thousands of holds) sees none during a drop. Reading the planner's figure
 * each time (one catalog row) rather than once notices a table that someone else emptied and vacuumed meanwhile.
 * What the statistics say of ACTIVE holds no longer steers the reserve's plans (V13__active_hold_lookup.sql), so the
 * table's size is all this keeps current.
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
    /** Holds this instance created since its last ANALYZE. */
    private final AtomicLong created = new AtomicLong();
    private final AtomicBoolean looking = new AtomicBoolean();
    private volatile long nextLook = MIN_CREATED;

    public HoldsGrowth(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        analyzes = Counter.builder("flashsale.holds.analyzes")
                .description("ANALYZEs of holds this instance ran as its reserves grew the table").register(registry);
    }

    /** A reserve created a hold (rather than adding to the shopper's). */
    void created() {
        if (created.incrementAndGet() >= nextLook && looking.compareAndSet(false, true)) {
            long seen = created.get();
            nextLook = seen + MIN_CREATED;
            look(seen).subscribe().with(ignored -> looking.set(false), failure -> {
                nextLook = 2 * seen + MIN_CREATED; // try again after as many more
                looking.set(false);
                LOG.warnf("could not analyze holds (the service's database user must own it or hold MAINTAIN on it): %s",
                        failure.getMessage());
            });
        }
    }

    private Uni<Void> look(long seen) {
        return pool.query(PLANNED_ROWS).execute()
                .map(rows -> rows.iterator().next().getLong("planned"))
                .flatMap(planned -> seen < Math.max(MIN_CREATED, planned) ? Uni.createFrom().voidItem()
                        : pool.query(ANALYZE).execute().invoke(() -> {
                            nextLook = created.addAndGet(-seen) + MIN_CREATED;
                            analyzes.increment();
                        }).replaceWithVoid());
    }
}

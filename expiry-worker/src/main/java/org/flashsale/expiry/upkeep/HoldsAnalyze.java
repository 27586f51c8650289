package org.flashsale.expiry.upkeep;

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
 * Keeps PostgreSQL's picture of {@code holds} as current as a drop changes it: every
 * {@code flashsale.holds-analyze.interval} (1 s, see {@link HoldsAnalyzeConfig}) it runs
 * {@code ANALYZE holds} once more rows changed since the last ANALYZE than the planner believes are ACTIVE (and at
 * least {@value #MIN_CHANGES}).
 *
 * <p>Between drops no hold is ACTIVE, and the statistics say so. Every statement that looks up a shopper's ACTIVE
 * hold (reserve, the batch, limits) then costs the same by every index whose predicate is {@code status = 'ACTIVE'},
 * and the plan a connection caches may well walk {@code holds_active_by_expiry} — every ACTIVE hold — to find one
 * shopper's. When the drop opens, that set grows by thousands a second and each reserve reads all of it, until
 * autovacuum's next ANALYZE: it wakes at most once an {@code autovacuum_naptime} (a minute, server-wide) and
 * waits for a tenth of the table to change. Measured: PostgreSQL read millions of index entries per run and served
 * a third of the reserves (bench/README.md). The rule doubles the ACTIVE set between two ANALYZEs at most, so a drop
 * costs a handful of them (each samples 30,000 rows) and every plan cached meanwhile is made again from the new
 * statistics. {@code SKIP_LOCKED}: a worker never queues behind another's ANALYZE.
 */
@ApplicationScoped
public class HoldsAnalyze {

    private static final Logger LOG = Logger.getLogger(HoldsAnalyze.class);
    static final int MIN_CHANGES = 250;
    /**
     * Rows changed since the last ANALYZE against the ACTIVE holds the planner believes in (the frequency of ACTIVE
     * among the sampled rows times the table's estimated rows; none when the sample had none).
     */
    static final String STALE = """
            SELECT t.n_mod_since_analyze >= greatest($1, coalesce((
                       SELECT f.freq * greatest(c.reltuples, 0)
                       FROM pg_stats s, unnest(s.most_common_vals::text::text[], s.most_common_freqs) AS f(val, freq)
                       WHERE s.schemaname = t.schemaname AND s.tablename = 'holds' AND s.attname = 'status'
                         AND f.val = 'ACTIVE'), 0)) AS stale
            FROM pg_stat_user_tables t JOIN pg_class c ON c.oid = t.relid
            WHERE t.relid = 'holds'::regclass
            """;
    static final String ANALYZE = "ANALYZE (SKIP_LOCKED) holds";

    private final Pool pool;
    private final Counter runs;
    private final FailureStreak failures = new FailureStreak(LOG,
            "could not analyze holds (the worker's database user must own it or hold MAINTAIN on it)",
            "analyzing holds again");

    public HoldsAnalyze(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        runs = Counter.builder("flashsale.holds.analyzes").description("ANALYZEs of holds run").register(registry);
    }

    @Scheduled(identity = "holds-analyze", every = "{flashsale.holds-analyze.interval}", delayed = "1s",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run().onFailure().invoke(failures::failed).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** ANALYZEs holds when its statistics are stale by the rule above; true when it did. */
    public Uni<Boolean> run() {
        return pool.preparedQuery(STALE).execute(Tuple.of(MIN_CHANGES))
                .map(rows -> rows.iterator().next().getBoolean("stale"))
                .flatMap(stale -> !stale ? Uni.createFrom().item(false)
                        : pool.query(ANALYZE).execute().map(ignored -> {
                            runs.increment();
                            LOG.debug("analyzed holds");
                            return true;
                        }))
                .invoke(failures::succeeded);
    }
}

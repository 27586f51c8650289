package org.flashsale.expiry;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.expiry.upkeep.HoldsAnalyze;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.WithPostgres;

@QuarkusTest
@WithPostgres(migrate = true)
class HoldsAnalyzeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Pool pool;
    @Inject
    HoldsAnalyze analyze;

    @BeforeEach
    void onlyThisTestAnalyzes() { // autovacuum's own ANALYZE landing mid-test would make the counts below race
        pool.query("ALTER TABLE holds SET (autovacuum_enabled = false)").executeAndAwait();
    }

    @AfterEach
    void autovacuumAgain() {
        pool.query("ALTER TABLE holds RESET (autovacuum_enabled)").executeAndAwait();
        Books.read(pool).assertBalanced();
    }

    @Test
    void analyzesHoldsOnceMoreRowsChangedThanThePlannerBelievesAreActive() {
        pool.query("ANALYZE holds").executeAndAwait();
        long believed = believedActive();

        // A drop opens: more shoppers reserve than the statistics know of ACTIVE holds (and at least 250).
        int reserves = (int) Math.max(1500, believed + 500);
        Seed.productWithHolds(pool, 3 * reserves, reserves, 3_600_000);
        awaitChangesSinceAnalyze(reserves); // the inserting connection reports them once idle
        long analyzesBefore = stat("analyze_count");

        assertTrue(analyze.run().await().atMost(WAIT));

        assertEquals(analyzesBefore + 1, stat("analyze_count"));
        assertTrue(believedActive() >= believed + reserves / 2, "the planner now knows the drop's holds: "
                + believedActive());
        assertFalse(analyze.run().await().atMost(WAIT), "nothing changed since: no second ANALYZE");
        assertEquals(analyzesBefore + 1, stat("analyze_count"));
        RestAssured.get("/q/metrics").then().body(containsString("flashsale_holds_analyzes_total"));
    }

    /** ACTIVE holds as the planner estimates them: their share of the ANALYZE sample times the table's rows. */
    private long believedActive() {
        return pool.query("""
                SELECT coalesce((SELECT f.freq * c.reltuples
                                 FROM pg_stats s, unnest(s.most_common_vals::text::text[], s.most_common_freqs) f(v, freq)
                                 WHERE s.tablename = 'holds' AND s.attname = 'status' AND f.v = 'ACTIVE'), 0)::bigint
                FROM pg_class c WHERE c.oid = 'holds'::regclass""").executeAndAwait().iterator().next().getLong(0);
    }

    private long stat(String column) {
        return pool.query("SELECT " + column + " FROM pg_stat_user_tables WHERE relname = 'holds'").executeAndAwait()
                .iterator().next().getLong(0);
    }

    private void awaitChangesSinceAnalyze(long atLeast) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (stat("n_mod_since_analyze") < atLeast) {
            assertTrue(System.nanoTime() < deadline, "n_mod_since_analyze never reached " + atLeast);
            Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(50)).await().indefinitely();
        }
    }
}

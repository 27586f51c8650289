package org.flashsale.inventory.repository;

import static org.flashsale.inventory.support.Api.newProduct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.inventory.hold.HoldRepository;
import org.flashsale.inventory.hold.IdempotencyKey;
import org.flashsale.inventory.hold.Outcome;
import org.flashsale.inventory.hold.Reserved;
import org.flashsale.inventory.security.ShopperTokens;
import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.inventory.support.DirectShoppers;
import org.flashsale.inventory.support.Stampede;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.WithPostgres;

/**
 * The hot row's first seconds (issue 33): "this shopper's ACTIVE hold of this product" — the reserve's lock, the
 * batch's — is found by the unique index of ACTIVE holds whatever PostgreSQL's statistics of holds say when a
 * connection plans it, and a holds table the planner knows to be empty is analyzed again as a drop grows it. Counts
 * and plans, not timings. Its own database (the profile): it empties holds and turns autovacuum off on it, so that
 * only what is tested changes the statistics.
 */
@QuarkusTest
@WithPostgres
@TestProfile(ActiveHoldLookupTest.OwnDatabase.class)
class ActiveHoldLookupTest {

    private static final Duration TTL = Duration.ofMinutes(10);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int BATCH = 64;
    private static final Pattern ANALYZES = Pattern.compile("(?m)^flashsale_holds_analyzes_total(?:\\{[^}]*})? ([0-9.E]+)$");

    public static class OwnDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of();
        }
    }

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @Inject
    Pool pool;

    @Inject
    HoldRepository holds;

    @Inject
    ShopperTokens tokens;

    private final Stampede stampede = new Stampede();

    @BeforeEach
    void onlyTheTestChangesTheStatistics() {
        pool.query("ALTER TABLE holds SET (autovacuum_enabled = false)").executeAndAwait();
        pool.query("ALTER TABLE idempotency_records SET (autovacuum_enabled = false)").executeAndAwait();
    }

    @AfterEach
    void booksBalance() {
        stampede.close();
        pool.query("ALTER TABLE holds RESET (autovacuum_enabled)").executeAndAwait();
        pool.query("ALTER TABLE idempotency_records RESET (autovacuum_enabled)").executeAndAwait();
        Books.read(pool).assertBalanced();
    }

    @Test
    void statisticsTakenBetweenDropsNeverSendTheLookupThroughEveryActiveHold() {
        // A shop's past, analyzed between drops: 20,000 purchases, no hold ACTIVE.
        UUID past = newProduct(20_000);
        pool.preparedQuery("""
                WITH s AS (INSERT INTO shoppers (id) SELECT gen_random_uuid() FROM generate_series(1, 20000) RETURNING id)
                INSERT INTO holds (product_id, shopper_id, quantity, price_cents, amount_cents, status, expires_at,
                                   latest_expires_at, ended_at, stripe)
                SELECT $1, s.id, 1, 1500, 1500, 'COMPLETED', now(), now(), now(), 0 FROM s""")
                .executeAndAwait(Tuple.of(past));
        pool.preparedQuery("UPDATE stock_stripes SET available_stock = 0 WHERE product_id = $1")
                .executeAndAwait(Tuple.of(past));
        pool.query("VACUUM ANALYZE holds").executeAndAwait();

        // The drop: one connection plans and caches the reserve's statements on those statistics, then serves 600
        // lone reserves and 30 batches of 64, so ACTIVE holds pile up under its cached plans.
        UUID hot = newProduct(100_000);
        List<UUID> shoppers = DirectShoppers.make(pool, tokens, 600 + 30 * 64).stream().map(Shopper::id).toList();
        SqlConnection connection = pool.getConnectionAndAwait();
        try {
            long[] before = holdsReads(connection);
            for (UUID shopper : shoppers.subList(0, 600)) {
                Reserved reserved = holds.reserve(connection, shopper, hot, 1, TTL).await().atMost(WAIT);
                assertEquals(Outcome.RESERVED, reserved.outcome());
            }
            reserveInBatches(connection, hot, shoppers.subList(600, shoppers.size()), shopper -> null);
            long[] after = holdsReads(connection);

            assertEquals(0, after[0] - before[0], "sequential scans of holds");
            assertEquals(0, after[1] - before[1], "entries of holds_active_by_expiry read (every ACTIVE hold)");
        } finally {
            connection.closeAndAwait();
        }
    }

    @Test
    void batchesPlannedOnTablesKnownToBeEmptyNeverScanThemAsTheDropGrowsThem() {
        // Emptied and vacuumed: PostgreSQL knows holds and the keys' records to be empty, the state in which the
        // cheapest plan for "this shopper's hold" or "this key's record" is a sequential scan.
        pool.query("DELETE FROM products").executeAndAwait(); // their holds and stock go with them
        pool.query("DELETE FROM idempotency_records").executeAndAwait();
        pool.query("VACUUM ANALYZE holds, idempotency_records").executeAndAwait();
        assertEquals(0, plannedRows());

        // One connection plans the batch in the drop's first milliseconds and keeps its plans while 40 keyed batches
        // of 64 fill both tables; no ANALYZE runs (the repository, not the service, and autovacuum is off).
        UUID hot = newProduct(100_000);
        List<UUID> shoppers = DirectShoppers.make(pool, tokens, 40 * 64).stream().map(Shopper::id).toList();
        SqlConnection connection = pool.getConnectionAndAwait();
        try {
            long[] before = sequentialScans(connection);
            reserveInBatches(connection, hot, shoppers,
                    shopper -> IdempotencyKey.of(UUID.randomUUID().toString(), hot, 1));
            long[] after = sequentialScans(connection);

            assertEquals(0, after[0] - before[0], "sequential scans of holds");
            assertEquals(0, after[1] - before[1], "sequential scans of idempotency_records");
        } finally {
            connection.closeAndAwait();
        }
    }

    @Test
    void aHoldsTableKnownToBeEmptyIsAnalyzedAgainAsTheDropGrowsIt() {
        // Emptied and vacuumed: PostgreSQL knows holds to be empty, the state in which a cached plan scans the table.
        pool.query("DELETE FROM products").executeAndAwait(); // their holds and stock go with them
        pool.query("VACUUM ANALYZE holds").executeAndAwait();
        assertEquals(0, plannedRows());
        double analyzesBefore = analyzes();

        UUID hot = newProduct(10_000);
        List<Shopper> crowd = DirectShoppers.make(pool, tokens, 1200);
        stampede.fire(crowd.stream().map(shopper -> Stampede.reserve(shopper, hot, 1)).toList())
                .forEach(result -> assertEquals(201, result.status()));

        // The service analyzes holds as its reserves grow it (at 250 holds, then each time the table may have
        // doubled): the planner learns the drop's size, and plans cached since are made from it.
        awaitPlannedRowsAtLeast(600);
        assertTrue(analyzes() >= analyzesBefore + 1, "ANALYZEs by the service: " + (analyzes() - analyzesBefore));
    }

    /** Sequential scans of holds and entries read through holds_active_by_expiry so far, this connection's included. */
    private static long[] holdsReads(SqlClient connection) {
        connection.query("SELECT pg_stat_force_next_flush()").executeAndAwait(); // reported once the statement ends
        var row = connection.query("""
                SELECT t.seq_scan, i.idx_tup_read FROM pg_stat_user_tables t
                JOIN pg_stat_user_indexes i ON i.relid = t.relid AND i.indexrelname = 'holds_active_by_expiry'
                WHERE t.relname = 'holds'""").executeAndAwait().iterator().next();
        return new long[] {row.getLong(0), row.getLong(1)};
    }

    /** Reserves one unit for each shopper in batches of 64 on the connection, keyed by keyOf (null: no key). */
    private void reserveInBatches(SqlConnection connection, UUID product, List<UUID> shoppers,
            Function<UUID, IdempotencyKey> keyOf) {
        for (int from = 0; from < shoppers.size(); from += BATCH) {
            List<UUID> some = shoppers.subList(from, Math.min(from + BATCH, shoppers.size()));
            List<Reserved> answers = holds.reserveBatch(connection, product, some, Collections.nCopies(some.size(), 1),
                    some.stream().map(keyOf).toList(), TTL).await().atMost(WAIT);
            assertTrue(answers.stream().allMatch(answer -> answer.outcome() == Outcome.RESERVED));
        }
    }

    /** Sequential scans of holds and of idempotency_records so far, this connection's included. */
    private static long[] sequentialScans(SqlClient connection) {
        connection.query("SELECT pg_stat_force_next_flush()").executeAndAwait(); // reported once the statement ends
        var row = connection.query("""
                SELECT sum(seq_scan) FILTER (WHERE relname = 'holds'),
                       sum(seq_scan) FILTER (WHERE relname = 'idempotency_records')
                FROM pg_stat_user_tables WHERE relname IN ('holds', 'idempotency_records')""")
                .executeAndAwait().iterator().next();
        return new long[] {row.getLong(0), row.getLong(1)};
    }

    private long plannedRows() {
        return pool.query("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'holds'::regclass")
                .executeAndAwait().iterator().next().getLong(0);
    }

    private void awaitPlannedRowsAtLeast(long rows) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (plannedRows() < rows) {
            assertTrue(System.nanoTime() < deadline, "the planner's rows of holds stayed at " + plannedRows());
            Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(50)).await().indefinitely();
        }
    }

    private double analyzes() {
        Matcher matcher = ANALYZES.matcher(RestAssured.get(metrics).asString());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}

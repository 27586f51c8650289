package org.flashsale.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.flashsale.inventory.support.Api.availableStock;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.inventory.security.ShopperTokens;
import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.inventory.support.DeadlockTrap;
import org.flashsale.inventory.support.DirectShoppers;
import org.flashsale.inventory.support.Stampede.Call;
import org.flashsale.inventory.support.Stampede.Result;
import org.flashsale.inventory.support.Stampede;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.Holds;
import org.flashsale.testsupport.WithPostgres;

/**
 * The group commit over real concurrent HTTP: reserves of one product that arrive while its statement is in flight
 * go together as the next statement, and each still gets exactly its own answer.
 */
@QuarkusTest
@WithPostgres
class GroupCommitTest {

    private static final Pattern BATCH_METRIC = Pattern.compile(
            "(?m)^flashsale_reserve_batch_size_(count|sum)(?:\\{[^}]*})? ([0-9.E]+)$");

    /** Metrics are on the management interface, not the public port. */
    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @Inject
    Pool pool;

    @Inject
    ShopperTokens tokens;

    private final Stampede stampede = new Stampede();

    @AfterEach
    void booksBalance() {
        stampede.close();
        DeadlockTrap.disarm(pool);
        Books.read(pool).assertBalanced();
    }

    @Test
    void fiveThousandConcurrentReservesOnAHundredUnitsHoldExactlyAHundredInBatches() {
        UUID product = newProduct(100);
        double[] before = batchFigures();

        List<Result> results = stampede.fire(shoppers(5000).stream().map(s -> Stampede.reserve(s, product, 1)).toList());

        assertEquals(Map.of(201, 100L, 409, 4900L), countByStatus(results));
        assertTrue(results.stream().filter(r -> r.status() == 409).allMatch(r -> r.body().contains("OUT_OF_STOCK")
                && r.body().contains("\"availableStock\":0")));
        assertEquals(0, availableStock(product));
        assertEquals(100, Holds.count(pool, product, "ACTIVE"));
        double[] after = batchFigures();
        double statements = after[0] - before[0], reserves = after[1] - before[1];
        assertEquals(5000, reserves, "every reserve went through the batcher");
        assertTrue(statements < reserves, "some statements carried several reserves: " + statements);
    }

    @Test
    void aBatchThatFailsMidwayChangesNothingAndEveryRequestIsAnsweredAlone() {
        UUID product = newProduct(1000);
        // The third hold inserted for this product fails with a deadlock error: inside a batch, that aborts the whole
        // statement, whose requests are then run alone (and a lone victim is run again).
        DeadlockTrap trap = DeadlockTrap.arm(pool,
                "BEFORE INSERT ON holds FOR EACH ROW WHEN (NEW.product_id = '" + product + "')", 3);
        List<Shopper> shoppers = shoppers(200);

        List<Result> results = stampede.fire(shoppers.stream().map(s -> Stampede.reserve(s, product, 2)).toList());

        assertEquals(Map.of(201, 200L), countByStatus(results));
        assertEquals(1000 - 400, availableStock(product));
        assertEquals(200, Holds.count(pool, product, "ACTIVE"));
        assertTrue(trap.rows() > 200, "the failed attempt's inserts were rolled back and made again");
    }

    @Test
    void aBatchWhoseConnectionTheServerTerminatedIsAnswered503AndNotRunAgain() {
        UUID product = newProduct(1000);
        // The 60th hold inserted stalls its statement until the server terminates that backend (57P01, as in a
        // switchover). Such a batch may have committed (a backend terminated while it waited for the synchronous
        // standby had), so its reserves are answered 503, never sent again. The 60th, not the 3rd: the stampede's
        // first reserves may arrive one by one (a batch of one, on a loaded machine); by the 60th the batches are full.
        pool.query("CREATE SEQUENCE stall_rows").executeAndAwait();
        pool.query("""
                CREATE FUNCTION stall() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF nextval('stall_rows') = 60 THEN
                        PERFORM pg_sleep(60);
                    END IF;
                    RETURN NEW;
                END $$
                """).executeAndAwait();
        pool.query("CREATE TRIGGER stall BEFORE INSERT ON holds FOR EACH ROW WHEN (NEW.product_id = '" + product
                + "') EXECUTE FUNCTION stall()").executeAndAwait();
        try {
            List<Shopper> shoppers = shoppers(200);
            CompletableFuture<List<Result>> fired = CompletableFuture.supplyAsync(
                    () -> stampede.fire(shoppers.stream().map(s -> Stampede.reserve(s, product, 2)).toList()));
            terminateTheStalledBackend(Duration.ofSeconds(30));
            List<Result> results = fired.join();

            Map<Integer, Long> statuses = countByStatus(results);
            long served = statuses.getOrDefault(201, 0L);
            long unavailable = statuses.getOrDefault(503, 0L);
            assertEquals(Set.of(201, 503), statuses.keySet(), statuses.toString());
            assertTrue(unavailable > 1, "the stalled row was in a batch, whose every reserve got the 503: " + statuses);
            assertTrue(results.stream().filter(r -> r.status() == 503)
                    .allMatch(r -> r.body().contains("DATABASE_UNAVAILABLE")), "503 DATABASE_UNAVAILABLE");
            assertEquals(served, Holds.count(pool, product, "ACTIVE"));
            assertEquals(1000 - 2 * served, availableStock(product));
        } finally {
            pool.query("DROP FUNCTION stall() CASCADE").executeAndAwait();
            pool.query("DROP SEQUENCE stall_rows").executeAndAwait();
        }
    }

    @Test
    void aBatchFailedByACrashShutdownIsAnswered503AndNotRunAgain() {
        UUID product = newProduct(1000);
        // 57P02 reaches the statement itself (the client closes the connection for 57P01 only): PostgreSQL sends it
        // to every backend when it restarts after a crash, also to one that committed and was waiting for the
        // synchronous standby. So a batch failed by it is answered 503, not sent again one by one. The 60th row, not
        // the 3rd: the stampede's first reserves may arrive one by one (a batch of one, on a loaded machine), by the
        // 60th the batches are full.
        DeadlockTrap.arm(pool, "BEFORE INSERT ON holds FOR EACH ROW WHEN (NEW.product_id = '" + product + "')", 60,
                "57P02");
        List<Shopper> shoppers = shoppers(200);

        List<Result> results = stampede.fire(shoppers.stream().map(s -> Stampede.reserve(s, product, 2)).toList());

        Map<Integer, Long> statuses = countByStatus(results);
        long served = statuses.getOrDefault(201, 0L);
        assertEquals(Set.of(201, 503), statuses.keySet(), statuses.toString());
        assertTrue(statuses.get(503) > 1, "the failing row was in a batch, whose every reserve got the 503: " + statuses);
        assertEquals(served, Holds.count(pool, product, "ACTIVE"));
        assertEquals(1000 - 2 * served, availableStock(product));
    }

    @Test
    void idempotentRetriesRacingBatchedReservesHaveOneEffect() {
        UUID product = newProduct(500);
        Shopper keyed = shoppers(1).get(0);
        List<Call> calls = new ArrayList<>();
        shoppers(200).forEach(s -> calls.add(Stampede.reserve(s, product, 1)));
        IntStream.range(0, 20).forEach(i -> calls.add(20 + i * 9, Stampede.reserve(keyed, product, 3, "retry-1")));

        List<Result> results = stampede.fire(calls);

        assertEquals(Map.of(201, 220L), countByStatus(results));
        assertEquals(1, results.stream().filter(r -> r.name().equals(keyed.id().toString()))
                .map(Result::body).distinct().count(), "every retry got the first answer");
        assertEquals(3, pool.preparedQuery("SELECT sum(quantity) FROM holds WHERE shopper_id = $1")
                .executeAndAwait(Tuple.of(keyed.id())).iterator().next().getLong(0));
        assertEquals(500 - 200 - 3, availableStock(product));
    }

    @Test
    void anUnknownShopperInABatchIsRefusedAloneAndTheOthersAreServed() {
        UUID product = newProduct(500);
        UUID stranger = UUID.randomUUID(); // a token we signed, for a shopper this database does not know
        List<Call> calls = new ArrayList<>();
        shoppers(200).forEach(s -> calls.add(Stampede.reserve(s, product, 1)));
        calls.add(100, Stampede.reserve(new Shopper(stranger, tokens.issue(stranger)), product, 1));

        List<Result> results = stampede.fire(calls);

        assertEquals(Map.of(201, 200L, 401, 1L), countByStatus(results));
        assertTrue(results.stream().filter(r -> r.status() == 401).allMatch(r -> r.name().equals(stranger.toString())));
        assertEquals(300, availableStock(product));
    }

    private void terminateTheStalledBackend(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (pool.query("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE wait_event = 'PgSleep'")
                .executeAndAwait().iterator().next().getLong(0) == 0) {
            assertTrue(System.nanoTime() < deadline, "no statement stalled within " + within);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private List<Shopper> shoppers(int count) {
        return DirectShoppers.make(pool, tokens, count);
    }

    /** The batch-size summary's count (statements) and sum (reserves) so far. */
    private double[] batchFigures() {
        String page = given().get(metrics).then().statusCode(200).extract().asString();
        double[] figures = new double[2];
        Matcher matcher = BATCH_METRIC.matcher(page);
        while (matcher.find()) {
            figures[matcher.group(1).equals("count") ? 0 : 1] = Double.parseDouble(matcher.group(2));
        }
        return figures;
    }

    private static Map<Integer, Long> countByStatus(List<Result> results) {
        return results.stream().collect(Collectors.groupingBy(Result::status, Collectors.counting()));
    }
}

package org.flashsale.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.flashsale.inventory.support.Api.admin;
import static org.flashsale.inventory.support.Api.as;
import static org.flashsale.inventory.support.Api.availableStock;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.inventory.security.ShopperTokens;
import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.inventory.support.DeadlockTrap;
import org.flashsale.inventory.support.DirectShoppers;
import org.flashsale.inventory.support.Stampede.Call;
import org.flashsale.inventory.support.Stampede.Result;
import org.flashsale.inventory.support.Stampede;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.WithPostgres;

/**
 * Keyed reserves (Idempotency-Key) in the group commit, over real concurrent HTTP: the batch statement claims each
 * key, takes its units and stores its answer together; retries replay, another request under a key is refused, a
 * refusal leaves no record. With batching on, every keyed reserve goes through the batcher (its metrics count them).
 */
@QuarkusTest
@WithPostgres
class KeyedGroupCommitTest {

    private static final Pattern METRIC = Pattern.compile(
            "(?m)^(flashsale_reserve_batch_size_sum|flashsale_reserve_batch_refused_total)(?:\\{[^}]*})? ([0-9.E]+)$");

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @ConfigProperty(name = "flashsale.reserve.batching")
    boolean batching;

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
    void fiftyRetriesOfOneKeySpreadOverBatchesHaveOneEffectAndReplayTheFirstAnswer() {
        UUID product = newProduct(1000);
        Shopper keyed = shoppers(1).get(0);
        List<Call> calls = new ArrayList<>();
        shoppers(200).forEach(s -> calls.add(Stampede.reserve(s, product, 1)));
        IntStream.range(0, 50).forEach(i -> calls.add(i * 5, Stampede.reserve(keyed, product, 3, "intent-1")));
        double[] before = figures();

        List<Result> results = stampede.fire(calls);

        List<Result> retries = of(results, keyed);
        assertEquals(50, retries.size());
        assertTrue(retries.stream().allMatch(r -> r.status() == 201), "the first answer, then 49 replays of it");
        assertEquals(1, retries.stream().map(Result::body).distinct().count(), "byte for byte the first answer");
        assertEquals(List.of(3L), holdQuantities(keyed, product), "one hold of the quantity asked");
        assertEquals(1000 - 200 - 3, availableStock(product));
        assertEquals(List.of(201), recordStatuses(keyed));
        assertThroughBatches(before, calls.size());
    }

    @Test
    void aKeyUsedForAnotherQuantityIsRefusedAndTheFirstQuantityWins() {
        UUID product = newProduct(1000);
        Shopper keyed = shoppers(1).get(0);
        List<Call> calls = new ArrayList<>();
        shoppers(100).forEach(s -> calls.add(Stampede.reserve(s, product, 1)));
        IntStream.range(0, 20).forEach(i -> calls.add(i * 5,
                Stampede.reserve(keyed, product, i % 2 == 0 ? 2 : 5, "intent-1")));
        double[] before = figures();

        List<Result> results = stampede.fire(calls);

        List<Long> held = holdQuantities(keyed, product);
        assertEquals(1, held.size(), "one effect");
        int winner = held.get(0).intValue();
        assertTrue(winner == 2 || winner == 5);
        List<Result> retries = of(results, keyed);
        List<Result> winners = retries.stream().filter(r -> r.status() == 201).toList();
        assertEquals(10, winners.size(), "every request of the first quantity: its answer or a replay");
        assertTrue(winners.stream().allMatch(r -> r.body().contains("\"quantity\":" + winner + ",")));
        assertEquals(1, winners.stream().map(Result::body).distinct().count());
        assertTrue(retries.stream().filter(r -> r.status() != 201)
                .allMatch(r -> r.status() == 422 && r.body().contains("IDEMPOTENCY_KEY_REUSED")));
        assertEquals(1000 - 100 - winner, availableStock(product));
        assertThroughBatches(before, calls.size());
    }

    @Test
    void mixedKeyedAndUnkeyedBatchesKeepEachShoppersLimitAndStopExactlyAtTheStock() {
        UUID product = newProduct(250);
        admin().contentType(ContentType.JSON).body("{\"maxPerShopper\":4}").patch("/api/admin/products/" + product)
                .then().statusCode(200);
        List<Shopper> shoppers = shoppers(100);
        List<Call> calls = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (Shopper s : shoppers) {
                calls.add(Stampede.reserve(s, product, 1, "intent-" + round));
                calls.add(Stampede.reserve(s, product, 1));
            }
        }
        double[] before = figures();

        List<Result> results = stampede.fire(calls);

        assertEquals(0, availableStock(product), "250 of the 600 units asked for: the stock ends exactly");
        for (Shopper s : shoppers) {
            long held = holdQuantities(s, product).stream().mapToLong(Long::longValue).sum();
            assertTrue(held <= 4, "a shopper holds at most 4: " + held);
            List<Result> answers = of(results, s);
            assertEquals(held, answers.stream().filter(r -> r.status() == 201 || r.status() == 200).count());
            assertTrue(answers.stream().filter(r -> r.status() == 409)
                    .allMatch(r -> r.body().contains("LIMIT_EXCEEDED") || r.body().contains("OUT_OF_STOCK")));
        }
        long keyedServed = pool.preparedQuery("SELECT count(*) FROM idempotency_records WHERE shopper_id = ANY ($1)")
                .executeAndAwait(Tuple.of(shoppers.stream().map(Shopper::id).toArray(UUID[]::new)))
                .iterator().next().getLong(0);
        long keyedOk = IntStream.range(0, calls.size()).filter(i -> i % 2 == 0)
                .filter(i -> results.get(i).status() < 300).count();
        assertEquals(keyedOk, keyedServed, "a record for each keyed reserve served, none for a refused one");
        assertThroughBatches(before, calls.size());
    }

    @Test
    void aBatchFailingMidwayLeavesNoKeyWithoutItsUnitsNorUnitsWithoutAKey() {
        UUID product = newProduct(1000);
        // The third key recorded fails with a deadlock error: inside a batch, after its units were taken, it aborts
        // the whole statement, the keys recorded before it included; its reserves then go one by one.
        DeadlockTrap.arm(pool, "BEFORE INSERT ON idempotency_records FOR EACH ROW", 3);
        List<Shopper> keyed = shoppers(100);
        List<Call> calls = new ArrayList<>();
        shoppers(100).forEach(s -> calls.add(Stampede.reserve(s, product, 1)));
        IntStream.range(0, 100).forEach(i -> calls.add(i * 2, Stampede.reserve(keyed.get(i), product, 2, "k-" + i)));
        double[] before = figures();

        List<Result> results = stampede.fire(calls);

        assertTrue(results.stream().allMatch(r -> r.status() == 201));
        assertEquals(1000 - 100 - 200, availableStock(product));
        for (Shopper s : keyed) {
            assertEquals(List.of(2L), holdQuantities(s, product));
            assertEquals(List.of(201), recordStatuses(s));
        }
        if (batching) {
            assertTrue(figures()[1] > before[1], "a batch was refused and its reserves went one by one");
        }
        DeadlockTrap.disarm(pool);

        // Every retry now replays the answer its key stored, whichever path stored it.
        List<Result> replays = stampede.fire(IntStream.range(0, 100)
                .mapToObj(i -> Stampede.reserve(keyed.get(i), product, 2, "k-" + i)).toList());
        for (int i = 0; i < 100; i++) {
            assertEquals(of(results, keyed.get(i)).get(0).body(), replays.get(i).body());
            assertEquals(201, replays.get(i).status());
        }
        assertEquals(1000 - 100 - 200, availableStock(product));
    }

    @Test
    void aRefusedKeyedReserveLeavesNoRecordAndItsRetryAfterARestockSucceeds() {
        UUID product = newProduct(5);
        Shopper keyed = shoppers(1).get(0);
        List<Call> calls = new ArrayList<>();
        shoppers(100).forEach(s -> calls.add(Stampede.reserve(s, product, 1)));
        IntStream.range(0, 10).forEach(i -> calls.add(50 + i * 5, Stampede.reserve(keyed, product, 8, "big")));
        double[] before = figures();

        List<Result> results = stampede.fire(calls);

        assertTrue(of(results, keyed).stream().allMatch(r -> r.status() == 409 && r.body().contains("OUT_OF_STOCK")));
        assertEquals(List.of(), recordStatuses(keyed), "a refusal stores nothing");
        assertThroughBatches(before, calls.size());
        admin().contentType(ContentType.JSON).body("{\"quantity\":10}")
                .post("/api/admin/products/" + product + "/restock").then().statusCode(200);

        Response retry = keyedReserve(keyed, product, 8, "big");

        retry.then().statusCode(201).header("Idempotent-Replayed", nullValue());
        assertEquals(List.of(8L), holdQuantities(keyed, product));
        assertEquals(List.of(201), recordStatuses(keyed));
    }

    @Test
    void aReplayIsByteForByteTheFirstAnswerForANewHoldAndForAMerge() {
        UUID product = newProduct(100);
        Shopper shopper = shoppers(1).get(0);
        double[] before = figures();

        Response first = keyedReserve(shopper, product, 2, "new-hold");
        Response replay = keyedReserve(shopper, product, 2, "new-hold");
        Response merge = keyedReserve(shopper, product, 3, "add-three");
        Response mergeReplay = keyedReserve(shopper, product, 3, "add-three");

        first.then().statusCode(201);
        replay.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertEquals(first.asString(), replay.asString());
        merge.then().statusCode(200);
        mergeReplay.then().statusCode(200).header("Idempotent-Replayed", "true");
        assertEquals(merge.asString(), mergeReplay.asString());
        assertTrue(merge.asString().contains("\"quantity\":5,"));
        assertEquals(List.of(5L), holdQuantities(shopper, product));
        assertThroughBatches(before, 4);
    }

    private static Response keyedReserve(Shopper shopper, UUID product, int quantity, String key) {
        return as(shopper).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Map.of("productId", product.toString(), "quantity", quantity)).post("/api/reservations");
    }

    /** With batching on, each of the reserves went through the batcher; with it off, none did. */
    private void assertThroughBatches(double[] before, int reserves) {
        assertEquals(batching ? reserves : 0, figures()[0] - before[0], "reserves through the batcher");
    }

    private static List<Result> of(List<Result> results, Shopper shopper) {
        return results.stream().filter(r -> r.name().equals(shopper.id().toString())).toList();
    }

    private List<Long> holdQuantities(Shopper shopper, UUID product) {
        return pool.preparedQuery("SELECT quantity FROM holds WHERE shopper_id = $1 AND product_id = $2")
                .executeAndAwait(Tuple.of(shopper.id(), product)).stream().map(row -> row.getLong(0)).toList();
    }

    private List<Integer> recordStatuses(Shopper shopper) {
        return pool.preparedQuery("SELECT response_status FROM idempotency_records WHERE shopper_id = $1")
                .executeAndAwait(Tuple.of(shopper.id())).stream().map((Row row) -> row.getInteger(0)).toList();
    }

    private List<Shopper> shoppers(int count) {
        return DirectShoppers.make(pool, tokens, count);
    }

    /** Reserves sent through the batcher so far, and batches the database refused. */
    private double[] figures() {
        String page = given().get(metrics).then().statusCode(200).extract().asString();
        double[] figures = new double[2];
        Matcher matcher = METRIC.matcher(page);
        while (matcher.find()) {
            figures[matcher.group(1).endsWith("sum") ? 0 : 1] = Double.parseDouble(matcher.group(2));
        }
        return figures;
    }
}

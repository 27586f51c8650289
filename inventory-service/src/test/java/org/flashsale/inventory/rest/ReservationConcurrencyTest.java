package org.flashsale.inventory.rest;

import static org.flashsale.inventory.support.Api.availableStock;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.reserveOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.inventory.support.Stampede.Call;
import org.flashsale.inventory.support.Stampede.Result;
import org.flashsale.inventory.support.Stampede;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.Holds;
import org.flashsale.testsupport.WithPostgres;

/** Real parallel HTTP requests against the real database; after each, the books must balance exactly. */
@QuarkusTest
@WithPostgres
class ReservationConcurrencyTest {

    @Inject
    Pool pool;

    private final Stampede stampede = new Stampede();

    @AfterEach
    void booksBalance() {
        stampede.close();
        Books.read(pool).assertBalanced();
    }

    @Test
    void aThousandShoppersRacingForTheLastHundredUnitsGetExactlyAHundredHolds() {
        UUID product = newProduct(100);
        List<Shopper> shoppers = shoppers(1000);

        List<Result> results = stampede.fire(shoppers.stream().map(s -> Stampede.reserve(s, product, 1)).toList());

        Map<Integer, Long> byStatus = countByStatus(results);
        assertEquals(Map.of(201, 100L, 409, 900L), byStatus);
        assertTrue(results.stream().filter(r -> r.status() == 409).allMatch(r -> r.body().contains("OUT_OF_STOCK")));
        assertEquals(0, availableStock(product));
        assertEquals(100, Holds.count(pool, product, "ACTIVE"));
    }

    @Test
    void aHundredConcurrentCancelsOfDistinctHoldsGiveEveryUnitBack() {
        UUID product = newProduct(100);
        Map<UUID, Shopper> holds = holdOneEach(product, shoppers(100));

        List<Result> results = stampede.fire(holds.entrySet().stream()
                .map(e -> Stampede.cancel(e.getValue(), e.getKey())).toList());

        assertEquals(Map.of(200, 100L), countByStatus(results));
        assertEquals(100, availableStock(product));
        assertEquals(100, Holds.count(pool, product, "CANCELLED"));
    }

    @Test
    void cancelRacingCompleteEndsEachHoldExactlyOnce() {
        UUID product = newProduct(100);
        Map<UUID, Shopper> holds = holdOneEach(product, shoppers(100));
        List<Call> calls = new ArrayList<>();
        holds.forEach((hold, shopper) -> {
            calls.add(Stampede.cancel(shopper, hold));
            calls.add(Stampede.complete(shopper, hold));
        });

        List<Result> results = stampede.fire(calls);

        Map<String, List<Result>> byHold = results.stream().collect(Collectors.groupingBy(Result::name));
        int completed = 0;
        for (var entry : byHold.entrySet()) {
            String status = holdStatus(UUID.fromString(entry.getKey()));
            List<Integer> codes = entry.getValue().stream().map(Result::status).sorted().toList();
            assertEquals(List.of(200, 409), codes, "one winner, one HOLD_NOT_ACTIVE, for hold " + entry.getKey());
            Result winner = entry.getValue().stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
            assertTrue(winner.body().contains("\"status\":\"" + status + "\""), "the winner's answer is the truth");
            completed += "COMPLETED".equals(status) ? 1 : 0;
        }
        assertEquals(100 - completed, availableStock(product), "every cancelled unit came back, no completed one");
    }

    @Test
    void cancelsRacingNewHoldsOnASoldOutProductNeverOversell() {
        UUID product = newProduct(50);
        Map<UUID, Shopper> holds = holdOneEach(product, shoppers(50));
        assertEquals(0, availableStock(product));
        List<Shopper> latecomers = shoppers(100);
        List<Call> calls = new ArrayList<>();
        holds.forEach((hold, shopper) -> calls.add(Stampede.cancel(shopper, hold)));
        latecomers.forEach(shopper -> calls.add(Stampede.reserve(shopper, product, 1)));

        List<Result> results = stampede.fire(calls);

        List<Result> cancels = results.subList(0, 50);
        List<Result> reserves = results.subList(50, 150);
        assertTrue(cancels.stream().allMatch(r -> r.status() == 200), "every cancel succeeded");
        long won = reserves.stream().filter(r -> r.status() == 201).count();
        assertEquals(100 - won, reserves.stream().filter(r -> r.status() == 409).count(), "the rest are OUT_OF_STOCK");
        assertTrue(won <= 50);
        assertEquals(50 - won, availableStock(product));
        assertEquals(won, Holds.count(pool, product, "ACTIVE"));
    }

    @Test
    void completesFiredExactlyAtExpiryEitherCompleteOrExpireNeverBoth() throws InterruptedException {
        UUID product = newProduct(100);
        Map<UUID, Shopper> holds = holdOneEach(product, shoppers(100));
        pool.preparedQuery("UPDATE holds SET expires_at = now() + interval '300 milliseconds' WHERE product_id = $1")
                .executeAndAwait(Tuple.of(product));
        Thread.sleep(280);

        List<Result> results = stampede.fire(holds.entrySet().stream()
                .map(e -> Stampede.complete(e.getValue(), e.getKey())).toList());
        Holds.runExpiry(pool);

        int completed = 0;
        for (Result result : results) {
            String status = holdStatus(UUID.fromString(result.name()));
            if (result.status() == 200) {
                assertEquals("COMPLETED", status);
                completed++;
            } else {
                assertEquals(410, result.status(), result.body());
                assertEquals("EXPIRED", status);
            }
        }
        assertEquals(100 - completed, availableStock(product), "every expired unit came back exactly once");
        assertEquals(0, Holds.count(pool, product, "ACTIVE"));
    }

    @Test
    void completeAndCancelRacingExpiryEndEachHoldExactlyOnce() throws Exception {
        UUID product = newProduct(300);
        Map<UUID, Shopper> holds = holdOneEach(product, shoppers(300));
        pool.preparedQuery("UPDATE holds SET expires_at = now() + interval '250 milliseconds' WHERE product_id = $1")
                .executeAndAwait(Tuple.of(product));
        List<Call> calls = new ArrayList<>();
        int i = 0;
        for (var hold : holds.entrySet()) {
            calls.add(i++ % 2 == 0 ? Stampede.complete(hold.getValue(), hold.getKey())
                    : Stampede.cancel(hold.getValue(), hold.getKey()));
        }
        // The expiry worker's transition, running in a loop beside the requests, as a worker process would.
        var expiring = CompletableFuture.runAsync(() -> {
            long until = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < until) {
                Holds.runExpiry(pool);
            }
        });
        Thread.sleep(240);

        List<Result> results = stampede.fire(calls);
        expiring.get();
        Holds.runExpiry(pool);

        for (Result result : results) {
            String status = holdStatus(UUID.fromString(result.name()));
            switch (result.status()) {
                case 200 -> assertTrue(result.body().contains("\"status\":\"" + status + "\""), result.body());
                case 410 -> assertEquals("EXPIRED", status, "complete refused as expired");
                case 409 -> assertEquals("EXPIRED", status, "cancel refused: the worker won");
                default -> throw new AssertionError("unexpected answer " + result);
            }
        }
        long completed = Holds.count(pool, product, "COMPLETED");
        assertEquals(300 - completed, availableStock(product), "every unit not sold came back exactly once");
        assertEquals(0, Holds.count(pool, product, "ACTIVE"));
    }

    @Test
    void concurrentRetriesWithOneIdempotencyKeyTakeTheStockOnce() {
        UUID product = newProduct(100);
        Shopper shopper = newShopper();

        List<Result> results = stampede.fire(IntStream.range(0, 20)
                .mapToObj(i -> Stampede.reserve(shopper, product, 3, "checkout-42")).toList());

        assertEquals(Map.of(201, 20L), countByStatus(results));
        assertEquals(1, results.stream().map(r -> r.body().substring(0, r.body().indexOf(',')))
                .distinct().count(), "every answer names the same hold");
        assertEquals(97, availableStock(product));
        assertEquals(1, Holds.count(pool, product, "ACTIVE"));
    }

    private static List<Shopper> shoppers(int count) {
        return IntStream.range(0, count).mapToObj(i -> newShopper()).toList();
    }

    private static Map<UUID, Shopper> holdOneEach(UUID product, List<Shopper> shoppers) {
        Map<UUID, Shopper> holds = new HashMap<>();
        shoppers.forEach(shopper -> holds.put(reserveOk(shopper, product, 1), shopper));
        return holds;
    }

    private String holdStatus(UUID hold) {
        return pool.preparedQuery("SELECT status FROM holds WHERE id = $1").executeAndAwait(Tuple.of(hold))
                .iterator().next().getString("status");
    }

    private static Map<Integer, Long> countByStatus(List<Result> results) {
        return results.stream().collect(Collectors.groupingBy(Result::status, Collectors.counting()));
    }
}

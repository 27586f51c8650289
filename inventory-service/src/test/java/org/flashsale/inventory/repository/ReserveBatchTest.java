package org.flashsale.inventory.repository;

import static org.flashsale.inventory.support.Api.admin;
import static org.flashsale.inventory.support.Api.cancel;
import static org.flashsale.inventory.support.Api.complete;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.newStripedProduct;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

import org.flashsale.inventory.hold.HoldRepository;
import org.flashsale.inventory.hold.IdempotencyKey;
import org.flashsale.inventory.hold.Outcome;
import org.flashsale.inventory.hold.Reserved;
import org.flashsale.inventory.hold.SaleWindow;
import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.WithPostgres;

/**
 * The group commit's statement (db/migration/R__reserve_batch.sql) on the real database: each request of a batch gets
 * the answer it would have had alone, in arrival order.
 */
@QuarkusTest
@WithPostgres
class ReserveBatchTest {

    private static final Duration TTL = Duration.ofMinutes(2);

    @Inject
    Pool pool;

    @Inject
    HoldRepository holds;

    @AfterEach
    void booksBalance() {
        Books.read(pool).assertBalanced();
    }

    @Test
    void mixedOutcomesAreAllocatedInArrivalOrderAndStopExactlyWhereTheStockEnds() {
        UUID product = newProduct(5);
        Shopper a = newShopper(), b = newShopper(), c = newShopper(), d = newShopper();

        List<Reserved> answers = batch(product, List.of(a, b, c, d, a), List.of(2, 2, 2, 1, 1));

        assertReserved(answers.get(0), 2, false);
        assertReserved(answers.get(1), 2, false);
        assertOutOfStock(answers.get(2), 1); // 1 left after the first two: too few for 2...
        assertReserved(answers.get(3), 1, false); // ...but enough for the next one's 1
        assertOutOfStock(answers.get(4), 0);
        assertEquals(0, Books.read(pool).of(product).available());
    }

    @Test
    void aShopperTwiceInOneBatchMergesIntoOneHold() {
        UUID product = newProduct(10);
        Shopper a = newShopper(), b = newShopper();

        List<Reserved> answers = batch(product, List.of(a, b, a), List.of(2, 1, 3));

        assertReserved(answers.get(0), 2, false);
        assertReserved(answers.get(1), 1, false);
        assertReserved(answers.get(2), 5, true);
        assertEquals(answers.get(0).hold().id(), answers.get(2).hold().id());
        assertEquals(4, Books.read(pool).of(product).available());
        assertEquals(6, Books.read(pool).of(product).active());
    }

    @Test
    void aBatchMergesIntoAHoldMadeBeforeItAndCountsEarlierPurchasesAgainstTheLimit() {
        UUID product = newProduct(100);
        admin().contentType("application/json").body("{\"maxPerShopper\":4}")
                .patch("/api/admin/products/" + product).then().statusCode(200);
        Shopper a = newShopper(), b = newShopper();
        UUID held = batch(product, List.of(a), List.of(1)).get(0).hold().id();
        UUID bought = batch(product, List.of(b), List.of(2)).get(0).hold().id();
        complete(b, bought).then().statusCode(200);

        List<Reserved> answers = batch(product, List.of(a, b, b), List.of(2, 3, 2));

        assertReserved(answers.get(0), 3, true);
        assertEquals(held, answers.get(0).hold().id());
        assertEquals(Outcome.LIMIT_EXCEEDED, answers.get(1).outcome());
        assertEquals(2, answers.get(1).remaining());
        assertReserved(answers.get(2), 2, false);
    }

    @Test
    void theLimitPerShopperCountsTheBatchsEarlierHolds() {
        UUID product = newProduct(100);
        admin().contentType("application/json").body("{\"maxPerShopper\":3}")
                .patch("/api/admin/products/" + product).then().statusCode(200);
        Shopper a = newShopper(), b = newShopper();

        List<Reserved> answers = batch(product, List.of(a, a, b, a), List.of(2, 2, 3, 1));

        assertReserved(answers.get(0), 2, false);
        assertEquals(Outcome.LIMIT_EXCEEDED, answers.get(1).outcome());
        assertEquals(1, answers.get(1).remaining());
        assertReserved(answers.get(2), 3, false);
        assertReserved(answers.get(3), 3, true);
    }

    @Test
    void aSaleNotOpenOrAnUnknownProductRefusesEveryRequest() {
        UUID product = newProduct(10);
        admin().contentType("application/json").body("{\"saleStartsAt\":\"2999-01-01T00:00:00Z\"}")
                .patch("/api/admin/products/" + product).then().statusCode(200);
        Shopper a = newShopper(), b = newShopper();

        List<Reserved> refused = batch(product, List.of(a, b), List.of(1, 1));
        assertEquals(List.of(Outcome.SALE_NOT_ACTIVE, Outcome.SALE_NOT_ACTIVE),
                refused.stream().map(Reserved::outcome).toList());
        assertEquals(new SaleWindow(Instant.parse("2999-01-01T00:00:00Z"), null, false), refused.get(1).window());
        assertEquals(List.of(Outcome.NOT_FOUND, Outcome.NOT_FOUND),
                batch(UUID.randomUUID(), List.of(a, b), List.of(1, 1)).stream().map(Reserved::outcome).toList());
        assertEquals(10, Books.read(pool).of(product).available());
    }

    @Test
    void aSaleThatEndedIsRefusedWithItsWindowAndSaysItEnded() {
        UUID product = newProduct(10);
        admin().contentType("application/json")
                .body("{\"saleStartsAt\":\"2001-01-01T00:00:00Z\",\"saleEndsAt\":\"2002-01-01T00:00:00Z\"}")
                .patch("/api/admin/products/" + product).then().statusCode(200);

        List<Reserved> refused = batch(product, List.of(newShopper(), newShopper()), List.of(1, 2));

        SaleWindow ended = new SaleWindow(Instant.parse("2001-01-01T00:00:00Z"), Instant.parse("2002-01-01T00:00:00Z"),
                true);
        assertEquals(List.of(ended, ended), refused.stream().map(Reserved::window).toList());
    }

    @Test
    void unitsAddedInABatchAfterAPriceChangeCostThePriceTheBatchReadAndEachAnswerItsAmountSoFar() {
        UUID product = newProduct(20, 100);
        Shopper a = newShopper(), b = newShopper();
        assertEquals(100, batch(product, List.of(a), List.of(1)).get(0).hold().amountCents());
        price(product, 1000);

        List<Reserved> answers = batch(product, List.of(a, b, a), List.of(2, 3, 4));

        assertEquals(List.of(100L + 2000, 3000L, 100L + 6000),
                answers.stream().map(answer -> answer.hold().amountCents()).toList());
        assertEquals(List.of(100L, 1000L, 100L), answers.stream().map(answer -> answer.hold().priceCents()).toList());
        UUID hold = answers.get(2).hold().id();
        complete(a, hold).then().statusCode(200).body("amountCents", equalTo(6100));
    }

    @Test
    void aBatchNeverKeepsAHoldPastItsLatestExpiry() {
        UUID product = newProduct(20);
        Shopper a = newShopper(), b = newShopper();
        Reserved made = batch(product, List.of(a), List.of(1)).get(0);
        assertEquals(made.hold().createdAt().plus(TTL.multipliedBy(3)), made.hold().latestExpiresAt());
        pool.preparedQuery("UPDATE holds SET latest_expires_at = now() + interval '30 seconds' WHERE id = $1")
                .executeAndAwait(Tuple.of(made.hold().id()));

        List<Reserved> answers = batch(product, List.of(a, b), List.of(1, 1));

        Instant latest = answers.get(0).hold().latestExpiresAt();
        assertEquals(latest, answers.get(0).hold().expiresAt());
        assertTrue(latest.isBefore(answers.get(1).hold().expiresAt()), "the other shopper's new hold gets a full TTL");
        assertEquals(answers.get(1).hold().createdAt().plus(TTL), answers.get(1).hold().expiresAt());
    }

    @Test
    void aStripedProductServesABatchFromSeveralStripesAndTakesTheUnitsBackWhereTheyCameFrom() {
        UUID product = newStripedProduct(12, 4); // 3 units on each stripe
        Shopper a = newShopper(), b = newShopper(), c = newShopper();

        List<Reserved> answers = batch(product, List.of(a, b, c), List.of(5, 4, 4));

        assertReserved(answers.get(0), 5, false);
        assertReserved(answers.get(1), 4, false);
        assertOutOfStock(answers.get(2), 3);
        assertEquals(3, Books.stripes(pool, product).stream().mapToInt(Integer::intValue).sum());
        cancel(a, answers.get(0).hold().id()).then().statusCode(200);
        cancel(b, answers.get(1).hold().id()).then().statusCode(200);
        assertEquals(12, Books.read(pool).of(product).available());
    }

    @Test
    void aBatchTheProductCannotServeIsRefusedWithoutWaitingForItsStripeLocks() {
        UUID product = newStripedProduct(2, 4);
        Shopper a = newShopper(), b = newShopper();
        SqlConnection locker = pool.getConnectionAndAwait();
        try {
            locker.query("BEGIN").executeAndAwait();
            locker.preparedQuery("SELECT 1 FROM stock_stripes WHERE product_id = $1 FOR UPDATE")
                    .executeAndAwait(Tuple.of(product));

            // Answered while another transaction still holds every stripe (a locking batch would wait for it).
            List<Reserved> answers = batch(product, List.of(a, b), List.of(3, 4));

            assertOutOfStock(answers.get(0), 2);
            assertOutOfStock(answers.get(1), 2);
        } finally {
            locker.query("ROLLBACK").executeAndAwait();
            locker.closeAndAwait();
        }
    }

    @Test
    void aLimitedProductRefusesABatchItCannotServeWithoutWaitingForItsStripeLocks() {
        UUID product = newProduct(3);
        admin().contentType("application/json").body("{\"maxPerShopper\":2}")
                .patch("/api/admin/products/" + product).then().statusCode(200);
        Shopper a = newShopper(), b = newShopper();
        batch(product, List.of(a, b), List.of(2, 1));
        SqlConnection locker = pool.getConnectionAndAwait();
        try {
            locker.query("BEGIN").executeAndAwait();
            locker.preparedQuery("SELECT 1 FROM stock_stripes WHERE product_id = $1 FOR UPDATE")
                    .executeAndAwait(Tuple.of(product));

            List<Reserved> answers = batch(product, List.of(a, b), List.of(1, 1));

            assertEquals(Outcome.LIMIT_EXCEEDED, answers.get(0).outcome());
            assertEquals(0, answers.get(0).remaining());
            assertOutOfStock(answers.get(1), 0);
        } finally {
            locker.query("ROLLBACK").executeAndAwait();
            locker.closeAndAwait();
        }
    }

    @Test
    void keyedRequestsAreClaimedStoredReplayedAndRefusedInTheStatement() {
        UUID product = newProduct(4);
        Shopper a = newShopper(), b = newShopper(), c = newShopper();
        IdempotencyKey a1 = IdempotencyKey.of("a-1", product, 2), b1 = IdempotencyKey.of("b-1", product, 3);

        List<Reserved> first = keyedBatch(product, List.of(a, b, c), List.of(2, 3, 1), Arrays.asList(a1, b1, null));

        assertReserved(first.get(0), 2, false);
        assertOutOfStock(first.get(1), 2); // refused: its key is not kept, so its retry is decided afresh
        assertReserved(first.get(2), 1, false);
        assertEquals(List.of("201"), records(a));
        assertEquals(List.of(), records(b));

        List<Reserved> retries = keyedBatch(product, List.of(a, a, b), List.of(2, 1, 3),
                Arrays.asList(a1, IdempotencyKey.of("a-1", product, 1), b1));

        assertEquals(Outcome.REPLAYED, retries.get(0).outcome());
        assertEquals(first.get(0).hold(), retries.get(0).hold(), "the stored hold, to the microsecond");
        assertEquals(false, retries.get(0).merged());
        assertEquals(Outcome.KEY_REUSED, retries.get(1).outcome());
        assertOutOfStock(retries.get(2), 1);
        assertEquals(1, Books.read(pool).of(product).available());
        assertEquals(List.of("201"), records(a));
        assertEquals(List.of(), records(b));
    }

    @Test
    void aKeyedMergeStoresTheHoldAsItWasRightAfterIt() {
        UUID product = newProduct(10);
        Shopper a = newShopper();
        IdempotencyKey a2 = IdempotencyKey.of("a-2", product, 3);

        List<Reserved> answers = keyedBatch(product, List.of(a, a, a), List.of(1, 3, 2), Arrays.asList(null, a2, null));
        Reserved replay = keyedBatch(product, List.of(a), List.of(3), Arrays.asList(a2)).get(0);

        assertReserved(answers.get(1), 4, true);
        assertEquals(Outcome.REPLAYED, replay.outcome());
        assertEquals(answers.get(1).hold(), replay.hold());
        assertEquals(true, replay.merged());
        assertEquals(List.of("200"), records(a));
    }

    @Test
    void aKeyAnotherTransactionClaimsMeanwhileFailsTheWholeBatchWith40001AndChangesNothing() throws Exception {
        UUID product = newProduct(5);
        Shopper a = newShopper(), b = newShopper();
        IdempotencyKey a1 = IdempotencyKey.of("a-1", product, 1);
        SqlConnection claimer = pool.getConnectionAndAwait();
        CompletableFuture<List<Reserved>> batch;
        try {
            // Another request with a's key (the one-by-one path, or another instance) claimed it and is not done.
            claimer.query("BEGIN").executeAndAwait();
            claimer.preparedQuery("INSERT INTO idempotency_records (shopper_id, idempotency_key, request_hash, "
                    + "response_status, response_body) VALUES ($1, 'a-1', $2, 201, '{}')")
                    .executeAndAwait(Tuple.of(a.id(), a1.requestHash()));

            // The batch read a's key as new; its insert waits on the other claim, which then commits.
            batch = holds.reserveBatch(pool, product, List.of(b.id(), a.id()), List.of(2, 1),
                    Arrays.asList(null, a1), TTL).subscribeAsCompletionStage();
            awaitWaitingOnALock();
            claimer.query("COMMIT").executeAndAwait();
        } finally {
            claimer.closeAndAwait();
        }

        ExecutionException refused = assertThrows(ExecutionException.class, () -> batch.get(10, TimeUnit.SECONDS));
        PgException cause = assertInstanceOf(PgException.class, refused.getCause());
        assertEquals("40001", cause.getSqlState());
        assertEquals(5, Books.read(pool).of(product).available(), "b's units were not taken either");
        assertEquals(0, pool.preparedQuery("SELECT 1 FROM holds WHERE product_id = $1")
                .executeAndAwait(Tuple.of(product)).size());
        assertEquals(List.of("201"), records(a), "only the other request's record");
    }

    @Test
    void aFullBatchLooksItsKeysUpByTheirIndexNotByReadingEveryRecord() {
        UUID product = newProduct(1000);
        Shopper a = newShopper(), other = newShopper();
        pool.preparedQuery("INSERT INTO idempotency_records (shopper_id, idempotency_key, request_hash) "
                + "SELECT $1, 'other-' || n, 'h' FROM generate_series(1, 5000) n").executeAndAwait(Tuple.of(other.id()));
        pool.query("ANALYZE idempotency_records").executeAndAwait();
        int size = 64; // flashsale.reserve.max-batch's default: where a join of the batch with the table would scan it
        List<IdempotencyKey> keys = IntStream.range(0, size).mapToObj(n -> IdempotencyKey.of("a-" + n, product, 1))
                .toList();
        SqlConnection session = pool.getConnectionAndAwait();
        try {
            session.query("BEGIN").executeAndAwait();
            List<Reserved> answers = holds.reserveBatch(session, product, Collections.nCopies(size, a.id()),
                    Collections.nCopies(size, 1), keys, TTL).await().atMost(Duration.ofSeconds(10));
            long scans = session.query("SELECT seq_scan FROM pg_stat_xact_user_tables "
                    + "WHERE relname = 'idempotency_records'").executeAndAwait().iterator().next().getLong(0);

            assertEquals(Outcome.RESERVED, answers.get(size - 1).outcome());
            assertEquals(0, scans, "each key is probed by the primary key");
        } finally {
            session.query("ROLLBACK").executeAndAwait();
            session.closeAndAwait();
        }
    }

    private void awaitWaitingOnALock() throws InterruptedException {
        for (int tries = 0; tries < 200; tries++) {
            if (pool.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'").executeAndAwait()
                    .size() > 0) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the batch never waited on the other claim");
    }

    private List<String> records(Shopper shopper) {
        return pool.preparedQuery("SELECT response_status::text FROM idempotency_records WHERE shopper_id = $1")
                .executeAndAwait(Tuple.of(shopper.id())).stream()
                .map(row -> row.getString(0)).toList();
    }

    private List<Reserved> keyedBatch(UUID product, List<Shopper> shoppers, List<Integer> quantities,
            List<IdempotencyKey> keys) {
        return holds.reserveBatch(pool, product, shoppers.stream().map(Shopper::id).toList(), quantities, keys, TTL)
                .await().atMost(Duration.ofSeconds(10));
    }

    private static void price(UUID product, long priceCents) {
        admin().contentType("application/json").body("{\"priceCents\":" + priceCents + "}")
                .patch("/api/admin/products/" + product).then().statusCode(200);
    }

    private List<Reserved> batch(UUID product, List<Shopper> shoppers, List<Integer> quantities) {
        return holds.reserveBatch(pool, product, shoppers.stream().map(Shopper::id).toList(), quantities,
                Arrays.asList(new IdempotencyKey[shoppers.size()]), TTL)
                .await().atMost(Duration.ofSeconds(10));
    }

    private static void assertReserved(Reserved answer, int quantity, boolean merged) {
        assertEquals(Outcome.RESERVED, answer.outcome());
        assertEquals(quantity, answer.hold().quantity());
        assertEquals(merged, answer.merged());
        assertTrue(answer.hold().expiresAt() != null);
    }

    private static void assertOutOfStock(Reserved answer, int available) {
        assertEquals(Outcome.OUT_OF_STOCK, answer.outcome());
        assertEquals(available, answer.available());
        assertFalse(answer.merged());
    }
}

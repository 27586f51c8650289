package org.flashsale.expiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.expiry.expiry.ExpiryConfig;
import org.flashsale.expiry.expiry.ExpiryLoop;
import org.flashsale.expiry.expiry.ExpiryMetrics;
import org.flashsale.expiry.expiry.HoldExpiryRepository;
import org.flashsale.live.LivePublisher;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.Holds;
import org.flashsale.testsupport.WithPostgres;

/** The expire batches driven by hand (the scheduler is off in tests), against a real database. */
@QuarkusTest
@WithPostgres(migrate = true)
class ExpiryLoopTest {

    @Inject
    Pool pool;
    @Inject
    ExpiryLoop loop;
    @Inject
    HoldExpiryRepository repository;
    @Inject
    ExpiryMetrics metrics;
    @Inject
    ExpiryConfig config;
    @Inject
    Vertx vertx;
    @Inject
    LivePublisher live;

    @Test
    void dueHoldsAreExpiredAndTheirStockRestoredExactly() {
        UUID due = Seed.productWithHolds(pool, 500, 120, -1_000);
        UUID later = Seed.productWithHolds(pool, 500, 30, 3_600_000);
        int laterAvailable = Books.read(pool).of(later).available();

        loop.runOnce().await().atMost(Duration.ofSeconds(30));

        Books.Line line = Books.read(pool).of(due);
        assertEquals(0, Holds.count(pool, due, "ACTIVE"));
        assertEquals(120, Holds.count(pool, due, "EXPIRED"));
        assertEquals(500, line.available(), "every held unit came back");
        assertEquals(30, Holds.count(pool, later, "ACTIVE"), "holds not yet due are untouched");
        assertEquals(laterAvailable, Books.read(pool).of(later).available());
        Books.read(pool).assertBalanced();
    }

    @Test
    void holdsOnDifferentStripesGiveTheirUnitsBackToTheirOwnStripe() {
        UUID product = Seed.stripedProductWithHolds(pool, 4, 100, 60, -1_000);
        List<Integer> before = Books.stripes(pool, product);

        loop.runOnce().await().atMost(Duration.ofSeconds(30));

        assertTrue(before.stream().allMatch(units -> units < 100), () -> "every stripe had holds: " + before);
        assertEquals(List.of(100, 100, 100, 100), Books.stripes(pool, product));
        assertEquals(0, Holds.count(pool, product, "ACTIVE"));
        Books.read(pool).assertBalanced();
    }

    @Test
    void aBatchWhoseTransactionAbortsMidwayChangesNothing() {
        UUID first = Seed.productWithHolds(pool, 100, 20, -1_000);
        UUID failing = Seed.productWithHolds(pool, 100, 20, -1_000);
        int firstAvailable = Books.read(pool).of(first).available();
        int failingAvailable = Books.read(pool).of(failing).available();
        pool.query("""
                CREATE FUNCTION refuse_restock() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'simulated crash in the middle of a batch'; END $$
                """).executeAndAwait();
        pool.query("CREATE TRIGGER refuse_restock BEFORE UPDATE ON stock_stripes FOR EACH ROW WHEN (NEW.product_id = '"
                + failing + "') EXECUTE FUNCTION refuse_restock()").executeAndAwait();
        try {
            assertThrows(Exception.class, () -> repository.expireDueBatch(500).await().atMost(Duration.ofSeconds(10)));

            assertEquals(20, Holds.count(pool, first, "ACTIVE"), "no hold of the aborted batch changed");
            assertEquals(20, Holds.count(pool, failing, "ACTIVE"));
            assertEquals(firstAvailable, Books.read(pool).of(first).available(), "no stock of the aborted batch came back");
            assertEquals(failingAvailable, Books.read(pool).of(failing).available());
        } finally {
            pool.query("DROP TRIGGER refuse_restock ON stock_stripes").executeAndAwait();
            pool.query("DROP FUNCTION refuse_restock()").executeAndAwait();
        }
        loop.runOnce().await().atMost(Duration.ofSeconds(30));
        assertEquals(0, Holds.count(pool, first, "ACTIVE"));
        assertEquals(100, Books.read(pool).of(failing).available());
        Books.read(pool).assertBalanced();
    }

    @Test
    void twoWorkersOverTenThousandDueHoldsRestoreEachUnitExactlyOnce() {
        pool.query("UPDATE holds SET expires_at = now() + interval '1 day' WHERE status = 'ACTIVE'").executeAndAwait();
        long unitsBefore = sumAvailable();
        UUID[] products = new UUID[20];
        for (int i = 0; i < products.length; i++) {
            products[i] = Seed.productWithHolds(pool, 2_000, 500, -1_000);
        }
        ExpiryLoop second = new ExpiryLoop(repository, metrics, config, vertx, live);

        Uni.join().all(loop.runOnce(), second.runOnce()).andFailFast().await().atMost(Duration.ofMinutes(2));

        for (UUID product : products) {
            assertEquals(0, Holds.count(pool, product, "ACTIVE"));
            assertEquals(500, Holds.count(pool, product, "EXPIRED"));
            assertEquals(2_000, Books.read(pool).of(product).available(), "each unit restored exactly once");
        }
        assertEquals(unitsBefore + 20L * 2_000, sumAvailable(), "no other product's stock moved");
        Books.read(pool).assertBalanced();
    }

    @Test
    void aCompletedOrCancelledHoldIsNeverExpired() {
        UUID product = Seed.productWithHolds(pool, 100, 10, -1_000);
        pool.preparedQuery("""
                UPDATE holds SET status = 'COMPLETED', ended_at = now()
                WHERE id IN (SELECT id FROM holds WHERE product_id = $1 LIMIT 4)
                """).executeAndAwait(Tuple.of(product));
        int available = Books.read(pool).of(product).available();
        long completedUnits = Books.read(pool).of(product).completed();

        loop.runOnce().await().atMost(Duration.ofSeconds(30));

        assertEquals(4, Holds.count(pool, product, "COMPLETED"));
        assertEquals(6, Holds.count(pool, product, "EXPIRED"));
        assertEquals(100 - completedUnits, Books.read(pool).of(product).available());
        assertTrue(Books.read(pool).of(product).available() > available);
        Books.read(pool).assertBalanced();
    }

    private long sumAvailable() {
        return pool.query("SELECT coalesce(sum(available_stock), 0) FROM stock_stripes").executeAndAwait()
                .iterator().next().getLong(0);
    }
}

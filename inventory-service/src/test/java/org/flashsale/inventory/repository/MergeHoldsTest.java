package org.flashsale.inventory.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;

import org.flashsale.testsupport.WithPostgres;

/**
 * The insert-or-merge of holds every reserve path writes with (db/migration/R__merge_holds.sql), pinned on the real
 * database. Each test runs in one transaction (one now()) that is rolled back: other tests never see its rows.
 * A row is (shopper, quantity, price_cents, amount_cents, status, expires_at - now(), latest_expires_at - now(),
 * ended, merged).
 */
@QuarkusTest
@WithPostgres
class MergeHoldsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long TEN_MINUTES = 600_000;
    private static final long FIFTEEN_MINUTES = 900_000;

    @Inject
    Pool pool;

    private SqlConnection connection;
    private Transaction transaction;
    private final UUID product = UUID.randomUUID();
    private final UUID a = UUID.randomUUID();
    private final UUID b = UUID.randomUUID();
    private final UUID c = UUID.randomUUID();

    @BeforeEach
    void productAndShoppers() {
        connection = pool.getConnection().await().atMost(WAIT);
        transaction = connection.begin().await().atMost(WAIT);
        execute("INSERT INTO products (id, sku, name, price_cents, total_stock) VALUES ('" + product + "', 'MERGE-"
                + product + "', 'Merge', 150, 100)");
        execute("INSERT INTO shoppers (id) VALUES ('" + a + "'), ('" + b + "'), ('" + c + "')");
    }

    @AfterEach
    void rollBack() {
        transaction.rollback().await().atMost(WAIT);
        connection.close().await().atMost(WAIT);
    }

    @Test
    void aNewHoldCostsItsUnitsAtThePriceAndExpiresAfterItsTtlWithinItsLifetime() {
        assertEquals(List.of(a + ",2,150,300,ACTIVE,00:10:00,00:15:00,f,f"), merge(List.of(a), List.of(2), List.of(3),
                150, TEN_MINUTES, FIFTEEN_MINUTES));
        assertEquals(List.of("3"), rows("SELECT stripe FROM holds WHERE shopper_id = '" + a + "'"));
        // A TTL longer than the max lifetime: the new hold expires at its cap.
        assertEquals(List.of(b + ",1,150,150,ACTIVE,00:15:00,00:15:00,f,f"), merge(List.of(b), List.of(1), List.of(0),
                150, 3_600_000, FIFTEEN_MINUTES));
    }

    @Test
    void aMergeAddsUnitsAtTheNewPriceAndResetsTheExpiryNeverPastTheHoldsCap() {
        merge(List.of(a), List.of(2), List.of(3), 150, TEN_MINUTES, FIFTEEN_MINUTES);
        // The hold nearly spent: its expiry passed, its cap 5 minutes away.
        execute("UPDATE holds SET expires_at = now() - interval '1 minute', latest_expires_at = now() + interval "
                + "'5 minutes' WHERE shopper_id = '" + a + "'");

        // 3 more at 200: the amount adds 600, the hold keeps the price it was created at, the expiry stops at the cap
        // (the new call's max lifetime does not move it).
        assertEquals(List.of(a + ",5,150,900,ACTIVE,00:05:00,00:05:00,f,t"), merge(List.of(a), List.of(3),
                List.of(6), 200, TEN_MINUTES, FIFTEEN_MINUTES));
        // A short TTL: now + TTL, within the cap.
        assertEquals(List.of(a + ",6,150,1000,ACTIVE,00:01:00,00:05:00,f,t"), merge(List.of(a), List.of(1),
                List.of(7), 100, 60_000, FIFTEEN_MINUTES));
        assertEquals(List.of("3"), rows("SELECT stripe FROM holds WHERE shopper_id = '" + a + "'"),
                "a merged hold keeps the stripe it was created from");
        assertEquals(List.of("1"), rows("SELECT count(*) FROM holds WHERE shopper_id = '" + a + "'"));
    }

    @Test
    void aShopperTwiceInOneCallIsOneHoldWithTheirUnitsSummedAndTheirFirstStripe() {
        merge(List.of(a), List.of(1), List.of(0), 150, TEN_MINUTES, FIFTEEN_MINUTES);

        List<String> answers = merge(List.of(b, c, b, a, a), List.of(1, 2, 4, 2, 3), List.of(5, 6, 7, 1, 2), 100,
                TEN_MINUTES, FIFTEEN_MINUTES);

        assertEquals(List.of(a + ",6,150,650,ACTIVE,00:10:00,00:15:00,f,t",
                b + ",5,100,500,ACTIVE,00:10:00,00:15:00,f,f",
                c + ",2,100,200,ACTIVE,00:10:00,00:15:00,f,f").stream().sorted().toList(),
                answers.stream().sorted().toList());
        assertEquals(List.of(a + ",0", b + ",5", c + ",6").stream().sorted().toList(),
                rows("SELECT shopper_id || ',' || stripe FROM holds WHERE product_id = '" + product + "'").stream()
                        .sorted().toList(),
                "a new hold takes its shopper's first stripe; a merged one keeps its own");
    }

    @Test
    void noRequestWritesNothing() {
        assertEquals(List.of(), merge(List.of(), List.of(), List.of(), 150, TEN_MINUTES, FIFTEEN_MINUTES));
        assertEquals(List.of(), rows("SELECT merged::text FROM merge_holds('" + product
                + "', NULL, NULL, NULL, 150, 600000, 900000)"));
        assertEquals(List.of("0"), rows("SELECT count(*) FROM holds WHERE product_id = '" + product + "'"));
    }

    private List<String> merge(List<UUID> shoppers, List<Integer> quantities, List<Integer> stripes, long priceCents,
            long ttlMillis, long maxLifetimeMillis) {
        return rows("""
                SELECT concat_ws(',', m.shopper_id, m.quantity, m.price_cents, m.amount_cents, m.status,
                                 m.expires_at - now(), m.latest_expires_at - now(), m.ended_at IS NOT NULL, m.merged)
                FROM merge_holds('%s', '%s'::uuid[], '%s'::integer[], '%s'::smallint[], %d, %d, %d) m
                """.formatted(product, array(shoppers), array(quantities), array(stripes), priceCents, ttlMillis,
                maxLifetimeMillis));
    }

    private static String array(List<?> values) {
        return "{" + String.join(",", values.stream().map(Object::toString).toList()) + "}";
    }

    private List<String> rows(String sql) {
        List<String> rows = new ArrayList<>();
        connection.query(sql).execute().await().atMost(WAIT).forEach(row -> rows.add(row.getValue(0).toString()));
        return rows;
    }

    private void execute(String sql) {
        connection.query(sql).execute().await().atMost(WAIT);
    }
}

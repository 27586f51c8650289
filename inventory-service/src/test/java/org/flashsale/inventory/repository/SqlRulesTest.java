package org.flashsale.inventory.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;

import org.flashsale.testsupport.WithPostgres;

/**
 * The business rules every statement shares, each one inlinable SQL function (db/migration/R__&lt;function&gt;.sql),
 * pinned at their edges on the real database. Each expression is one statement, so now() is one instant in it.
 */
@QuarkusTest
@WithPostgres
class SqlRulesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The rule functions: none of them may show in a plan (the planner inlines them). */
    private static final List<String> RULES = List.of("hold_latest_expires_at", "hold_expires_at", "sale_has_started",
            "sale_has_ended", "sale_is_on", "admission_in_time", "admission_open", "admission_lapsed",
            "queue_entry_state", "admitted_last_minute");

    @Inject
    Pool pool;

    @Test
    void aHoldExpiresAfterItsTtlButNeverPastItsLatestExpiry() {
        assertHolds("hold_latest_expires_at(900000) = now() + interval '15 minutes'");
        assertHolds("hold_expires_at(600000, now() + interval '15 minutes') = now() + interval '10 minutes'");
        assertHolds("hold_expires_at(600000, now() + interval '10 minutes') = now() + interval '10 minutes'");
        assertHolds("hold_expires_at(600000, now() + interval '5 minutes') = now() + interval '5 minutes'");
        assertHolds("hold_expires_at(1, now() + interval '1 hour') = now() + interval '1 millisecond'");
        // A merge into a hold already past its cap keeps the cap: a reserve never lengthens a hold beyond it.
        assertHolds("hold_expires_at(600000, now() - interval '1 second') = now() - interval '1 second'");
        // A new hold: now + the lesser of TTL and max lifetime, as before the rule had a home.
        assertHolds("hold_expires_at(600000, hold_latest_expires_at(300000)) = now() + interval '5 minutes'");
        assertHolds("hold_expires_at(300000, hold_latest_expires_at(600000)) = now() + interval '5 minutes'");
    }

    @Test
    void aSaleIsOnFromItsStartUpToButNotIncludingItsEnd() {
        assertHolds("sale_has_started(NULL)");
        assertHolds("sale_has_started(now())");
        assertHolds("NOT sale_has_started(now() + interval '1 microsecond')");
        assertHolds("NOT sale_has_ended(NULL)");
        assertHolds("sale_has_ended(now())");
        assertHolds("NOT sale_has_ended(now() + interval '1 microsecond')");

        assertHolds("sale_is_on(NULL, NULL)");
        assertHolds("sale_is_on(now(), NULL)");
        assertHolds("sale_is_on(now() - interval '1 hour', now() + interval '1 microsecond')");
        assertHolds("NOT sale_is_on(now() + interval '1 microsecond', NULL)");
        assertHolds("NOT sale_is_on(NULL, now())");
        assertHolds("NOT sale_is_on(now() - interval '1 hour', now() - interval '1 microsecond')");
    }

    @Test
    void anAdmissionLapsesAtItsDeadlineWhateverTheStoredState() {
        assertHolds("admission_in_time(now() + interval '1 microsecond')");
        assertHolds("NOT admission_in_time(now())");
        assertHolds("admission_open('ADMITTED', now() + interval '1 microsecond')");
        assertHolds("NOT admission_open('ADMITTED', now())");
        assertHolds("NOT admission_open('WAITING', now() + interval '1 hour')");
        assertHolds("NOT admission_open('RESERVED', now() + interval '1 hour')");
        assertHolds("admission_lapsed('ADMITTED', now())");
        assertHolds("NOT admission_lapsed('ADMITTED', now() + interval '1 microsecond')");
        assertHolds("NOT admission_lapsed('RESERVED', now() - interval '1 hour')");
        assertHolds("NOT admission_lapsed('LAPSED', now() - interval '1 hour')");

        assertEquals("LAPSED", text("queue_entry_state('ADMITTED', now())"));
        assertEquals("ADMITTED", text("queue_entry_state('ADMITTED', now() + interval '1 microsecond')"));
        assertEquals("WAITING", text("queue_entry_state('WAITING', NULL)"));
        assertEquals("RESERVED", text("queue_entry_state('RESERVED', now() - interval '1 hour')"));
        assertEquals("LAPSED", text("queue_entry_state('LAPSED', now() - interval '1 hour')"));
        assertEquals("SOLD_OUT", text("queue_entry_state('SOLD_OUT', NULL)"));
    }

    /** Rows made and counted in one transaction (one now()), then rolled back: other tests never see them. */
    @Test
    void theAdmissionRateCountsTheLastMinuteStrictly() {
        SqlConnection connection = pool.getConnection().await().atMost(WAIT);
        Transaction transaction = connection.begin().await().atMost(WAIT);
        try {
            UUID product = UUID.randomUUID();
            List<UUID> shoppers = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
            execute(connection, "INSERT INTO products (id, sku, name, price_cents, total_stock, queue) VALUES ('"
                    + product + "', 'RULES-" + product + "', 'Rules', 100, 10, true)");
            execute(connection, "INSERT INTO shoppers (id) SELECT unnest('{" + String.join(",",
                    shoppers.stream().map(UUID::toString).toList()) + "}'::uuid[])");
            // Admitted 1 minute ago exactly (out), just within the minute (in), now (in), never (out).
            execute(connection, """
                    INSERT INTO queue_entries (product_id, shopper_id, position, state, admitted_at,
                                               admission_expires_at)
                    VALUES ('%1$s', '%2$s', 1, 'RESERVED', now() - interval '1 minute', now()),
                           ('%1$s', '%3$s', 2, 'RESERVED', now() - interval '59.999999 seconds', now()),
                           ('%1$s', '%4$s', 3, 'ADMITTED', now(), now() + interval '1 minute'),
                           ('%1$s', '%5$s', 4, 'WAITING', NULL, NULL)
                    """.formatted(product, shoppers.get(0), shoppers.get(1), shoppers.get(2), shoppers.get(3)));
            assertEquals(4L, connection.query("SELECT count(*) FROM queue_entries WHERE product_id = '" + product + "'")
                    .execute().await().atMost(WAIT).iterator().next().getLong(0));
            assertEquals(2L, connection.query("SELECT rate.admitted FROM admitted_last_minute('" + product + "') rate")
                    .execute().await().atMost(WAIT).iterator().next().getLong(0));
            assertEquals(0L, connection.query("SELECT rate.admitted FROM admitted_last_minute(gen_random_uuid()) rate")
                    .execute().await().atMost(WAIT).iterator().next().getLong(0));
        } finally {
            transaction.rollback().await().atMost(WAIT);
            connection.close().await().atMost(WAIT);
        }
    }

    /**
     * Each rule is inlined where it is called (its expression planned in place, so partial indexes still match and
     * no function call is left per row): a rule made un-inlinable (STRICT, plpgsql, SECURITY DEFINER, SET …) shows
     * here by name.
     */
    @Test
    void everyRuleIsInlinedIntoTheStatementThatCallsIt() {
        String plan = plan("""
                SELECT hold_expires_at(p.admission_ttl_millis, hold_latest_expires_at(p.admission_ttl_millis)),
                       sale_is_on(p.sale_starts_at, p.sale_ends_at), sale_has_started(p.sale_starts_at),
                       sale_has_ended(p.sale_ends_at), queue_entry_state(e.state, e.admission_expires_at),
                       admission_open(e.state, e.admission_expires_at),
                       admission_lapsed(e.state, e.admission_expires_at), admission_in_time(e.admission_expires_at),
                       (SELECT rate.admitted FROM admitted_last_minute(p.id) rate)
                FROM products p JOIN queue_entries e ON e.product_id = p.id""");
        for (String rule : RULES) {
            assertFalse(plan.contains(rule), rule + " is not inlined:\n" + plan);
        }
        assertTrue(plan.contains("now()"), "the rules' expressions are in the plan:\n" + plan);
    }

    private void assertHolds(String expression) {
        Row row = pool.query("SELECT (" + expression + ") AS holds").execute().await().atMost(WAIT).iterator().next();
        assertEquals(Boolean.TRUE, row.getBoolean("holds"), expression);
    }

    private String text(String expression) {
        return pool.query("SELECT " + expression + " AS value").execute().await().atMost(WAIT).iterator().next()
                .getString("value");
    }

    private String plan(String sql) {
        StringBuilder plan = new StringBuilder();
        pool.query("EXPLAIN (VERBOSE, COSTS OFF) " + sql).execute().await().atMost(WAIT)
                .forEach(row -> plan.append(row.getString(0)).append('\n'));
        return plan.toString();
    }

    private static void execute(SqlConnection connection, String sql) {
        connection.query(sql).execute().await().atMost(WAIT);
    }
}

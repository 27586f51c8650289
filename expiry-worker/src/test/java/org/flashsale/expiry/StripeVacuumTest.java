package org.flashsale.expiry;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.expiry.upkeep.StripeVacuum;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.WithPostgres;

@QuarkusTest
@WithPostgres(migrate = true)
class StripeVacuumTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Pool pool;
    @Inject
    StripeVacuum vacuum;

    @Test
    void vacuumsTheStripesAndRemovesTheDeadRowVersionsThatUpdatesLeave() {
        UUID product = Seed.stripedProductWithHolds(pool, 2, 50, 0, 60_000);
        long updatesBefore = stat("n_tup_upd");
        pool.withConnection(connection -> { // what reserves do to a hot stripe: a new row version each
            Uni<Void> updates = Uni.createFrom().voidItem();
            for (int i = 0; i < 200; i++) {
                updates = updates.call(() -> connection.preparedQuery(
                        "UPDATE stock_stripes SET changes = changes + 1 WHERE product_id = $1 AND stripe = 0")
                        .execute(Tuple.of(product)));
            }
            return updates.call(() -> connection.query("SELECT pg_stat_force_next_flush()").execute());
        }).await().atMost(WAIT);
        awaitStat("n_tup_upd", updatesBefore + 200); // their statistics arrive once that connection is idle
        long vacuumsBefore = stat("vacuum_count");

        vacuum.run().await().atMost(WAIT);

        assertEquals(vacuumsBefore + 1, stat("vacuum_count"));
        assertEquals(0L, stat("n_dead_tup"), "the VACUUM left no dead row versions behind");
        RestAssured.get("/q/metrics").then().body(containsString("flashsale_stripe_vacuums_total"));
        Books.read(pool).assertBalanced();
    }

    /** A counter of pg_stat_user_tables for stock_stripes. */
    private long stat(String column) {
        return pool.query("SELECT " + column + " FROM pg_stat_user_tables WHERE relname = 'stock_stripes'").execute()
                .await().atMost(WAIT).iterator().next().getLong(0);
    }

    private void awaitStat(String column, long atLeast) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (stat(column) < atLeast) {
            assertTrue(System.nanoTime() < deadline, column + " never reached " + atLeast);
            Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(50)).await().indefinitely();
        }
    }
}

package org.flashsale.inventory.rest;

import static org.flashsale.inventory.support.Api.availableStock;
import static org.flashsale.inventory.support.Api.cancel;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.reserve;
import static org.flashsale.inventory.support.Api.reserveOk;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.Holds;
import org.flashsale.testsupport.WithPostgres;

/**
 * PostgreSQL breaks a deadlock by aborting one statement as a whole; the service runs it again. The abort is
 * simulated by a trigger that fails the first attempt with the deadlock error (counted by a sequence, which a
 * rollback does not undo).
 */
@QuarkusTest
@WithPostgres
class DeadlockRetryTest {

    @Inject
    Pool pool;

    @AfterEach
    void dropTheTrap() {
        pool.query("DROP TRIGGER IF EXISTS deadlock_once ON holds").executeAndAwait();
        pool.query("DROP TRIGGER IF EXISTS deadlock_once ON stock_stripes").executeAndAwait();
        pool.query("DROP FUNCTION IF EXISTS deadlock_once()").executeAndAwait();
        pool.query("DROP SEQUENCE IF EXISTS deadlock_once_attempts").executeAndAwait();
        Books.read(pool).assertBalanced();
    }

    @Test
    void aReserveAbortedByADeadlockIsRunAgainAndTakesItsStockOnce() {
        UUID product = newProduct(10);
        trap("BEFORE INSERT ON holds FOR EACH ROW WHEN (NEW.product_id = '" + product + "')");

        reserve(newShopper(), product, 3).then().statusCode(201).body("quantity", equalTo(3));

        assertEquals(7, availableStock(product));
        assertEquals(1, Holds.count(pool, product, "ACTIVE"));
        assertEquals(2, attempts(), "the first attempt was aborted, the second went through");
    }

    @Test
    void aCancelAbortedByADeadlockIsRunAgainAndGivesItsStockBackOnce() {
        UUID product = newProduct(10);
        Shopper shopper = newShopper();
        UUID hold = reserveOk(shopper, product, 4);
        trap("BEFORE UPDATE ON stock_stripes FOR EACH ROW WHEN (NEW.product_id = '" + product + "')");

        cancel(shopper, hold).then().statusCode(200).body("status", equalTo("CANCELLED"));

        assertEquals(10, availableStock(product));
        assertEquals(2, attempts());
    }

    private void trap(String when) {
        pool.query("CREATE SEQUENCE deadlock_once_attempts").executeAndAwait();
        pool.query("""
                CREATE FUNCTION deadlock_once() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF nextval('deadlock_once_attempts') = 1 THEN
                        RAISE EXCEPTION 'simulated deadlock' USING ERRCODE = '40P01';
                    END IF;
                    RETURN NEW;
                END $$
                """).executeAndAwait();
        pool.query("CREATE TRIGGER deadlock_once " + when + " EXECUTE FUNCTION deadlock_once()").executeAndAwait();
    }

    private long attempts() {
        return pool.query("SELECT last_value FROM deadlock_once_attempts").executeAndAwait().iterator().next().getLong(0);
    }
}

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
import org.flashsale.inventory.support.DeadlockTrap;
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
        DeadlockTrap.disarm(pool);
        Books.read(pool).assertBalanced();
    }

    @Test
    void aReserveAbortedByADeadlockIsRunAgainAndTakesItsStockOnce() {
        UUID product = newProduct(10);
        DeadlockTrap trap = DeadlockTrap.arm(pool,
                "BEFORE INSERT ON holds FOR EACH ROW WHEN (NEW.product_id = '" + product + "')", 1);

        reserve(newShopper(), product, 3).then().statusCode(201).body("quantity", equalTo(3));

        assertEquals(7, availableStock(product));
        assertEquals(1, Holds.count(pool, product, "ACTIVE"));
        assertEquals(2, trap.rows(), "the first attempt was aborted, the second went through");
    }

    @Test
    void aCancelAbortedByADeadlockIsRunAgainAndGivesItsStockBackOnce() {
        UUID product = newProduct(10);
        Shopper shopper = newShopper();
        UUID hold = reserveOk(shopper, product, 4);
        DeadlockTrap trap = DeadlockTrap.arm(pool,
                "BEFORE UPDATE ON stock_stripes FOR EACH ROW WHEN (NEW.product_id = '" + product + "')", 1);

        cancel(shopper, hold).then().statusCode(200).body("status", equalTo("CANCELLED"));

        assertEquals(10, availableStock(product));
        assertEquals(2, trap.rows());
    }
}

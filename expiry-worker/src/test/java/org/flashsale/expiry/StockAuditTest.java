package org.flashsale.expiry;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.expiry.audit.Imbalance;
import org.flashsale.expiry.audit.StockAudit;
import org.flashsale.testsupport.WithPostgres;

@QuarkusTest
@WithPostgres(migrate = true)
class StockAuditTest {

    @Inject
    Pool pool;
    @Inject
    StockAudit audit;

    @Test
    void aProductWhoseBooksDoNotBalanceTurnsTheHealthCheckDownUntilTheyDoAgain() {
        UUID product = Seed.stripedProductWithHolds(pool, 2, 50, 10, 60_000);
        assertEquals(List.of(), run().imbalances());
        RestAssured.get("/q/health/ready").then().statusCode(200).body(containsString("stock-books"));

        try {
            shiftStripe(product, 3); // three units appear from nowhere
            List<Imbalance> found = run().imbalances();

            assertEquals(1, found.size());
            assertEquals(product, found.get(0).productId());
            assertEquals(-3, found.get(0).difference());
            RestAssured.get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'stock-books' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'stock-books' }.data.'" + product + "'", equalTo(-3));
            RestAssured.get("/q/metrics").then().body(containsString("flashsale_audit_unbalanced_products 1.0"));
        } finally {
            shiftStripe(product, -3);
        }
        assertEquals(List.of(), run().imbalances());
        RestAssured.get("/q/health/ready").then().statusCode(200);
        RestAssured.get("/q/metrics").then().body(containsString("flashsale_audit_unbalanced_products 0.0"));
    }

    private StockAudit.Result run() {
        return audit.run().await().atMost(Duration.ofSeconds(10));
    }

    private void shiftStripe(UUID product, int units) {
        pool.preparedQuery("UPDATE stock_stripes SET available_stock = available_stock + $2 WHERE product_id = $1 AND stripe = 0")
                .executeAndAwait(Tuple.of(product, units));
    }
}

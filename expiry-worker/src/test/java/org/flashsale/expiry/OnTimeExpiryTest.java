package org.flashsale.expiry;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.Holds;
import org.flashsale.testsupport.WithPostgres;

/** The worker as it runs in production: scheduled, waking by itself; no client involved. */
@QuarkusTest
@TestProfile(OnTimeExpiryTest.Scheduled.class)
@WithPostgres(migrate = true)
class OnTimeExpiryTest {

    public static class Scheduled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "true", "flashsale.expiry.poll-interval", "1s");
        }
    }

    @Inject
    Pool pool;

    @Test
    void holdsAreExpiredByThemselvesOnceDueAndTheirStockComesBack() {
        UUID soon = Seed.productWithHolds(pool, 10, 3, 700);
        UUID later = Seed.productWithHolds(pool, 10, 2, 2_500);

        Awaitility.await().atMost(15, TimeUnit.SECONDS).pollInterval(50, TimeUnit.MILLISECONDS)
                .until(() -> Holds.count(pool, soon, "ACTIVE") == 0 && Holds.count(pool, later, "ACTIVE") == 0);

        assertEquals(10, Books.read(pool).of(soon).available());
        assertEquals(10, Books.read(pool).of(later).available());
        Books.read(pool).assertBalanced();
    }

    @Test
    void metricsAndHealthAreExported() {
        Seed.productWithHolds(pool, 10, 2, -1);
        Awaitility.await().atMost(15, TimeUnit.SECONDS).until(() -> RestAssured.get("/q/metrics").asString()
                .contains("flashsale_expiry_holds_expired_total"));

        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : new String[] { "flashsale_expiry_holds_expired_total", "flashsale_expiry_units_restored_total",
                "flashsale_expiry_batch_duration_seconds", "flashsale_expiry_lag_seconds_bucket",
                "flashsale_expiry_due_backlog" }) {
            assertTrue(metrics.contains(name), name + " is exported");
        }
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"));
    }
}

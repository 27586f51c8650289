package org.flashsale.inventory.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;

import org.flashsale.testsupport.WithPostgres;

/**
 * A lost database, as the reactive client reports it, sent through Quarkus REST: whichever mapper Quarkus picks for
 * the exception's class, the client gets 503 DATABASE_UNAVAILABLE with Retry-After; another database error stays 500.
 */
@QuarkusTest
@WithPostgres
class DatabaseFailureResponseTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "admin-shutdown", "starting-up", "connection-failure", "connection-closed", "pool-timeout" })
    void aLostDatabaseIs503WithRetryAfter(String kind) {
        given().get("/test/database-failure/" + kind).then().statusCode(503)
                .contentType(startsWith("application/problem+json")).header("Retry-After", "1")
                .body("code", equalTo("DATABASE_UNAVAILABLE"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "duplicate-key" })
    void anyOtherDatabaseErrorIs500(String kind) {
        given().get("/test/database-failure/" + kind).then().statusCode(500).body("code", equalTo("INTERNAL"));
    }
}

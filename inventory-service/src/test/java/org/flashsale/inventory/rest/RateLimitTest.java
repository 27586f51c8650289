package org.flashsale.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.reserve;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.Holds;
import org.flashsale.testsupport.WithPostgres;

/**
 * Tight limits that refill slowly, so the test does not race the clock: buckets of 2 reserves per shopper, and per
 * address 4 reserves, 4 new shoppers and 4 draw pages, each refilling one token in 50 s or more. A refused request is
 * 429 RATE_LIMITED with Retry-After, and changes nothing.
 */
@QuarkusTest
@TestProfile(RateLimitTest.TightLimits.class)
@WithPostgres
class RateLimitTest {

    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("flashsale.rate-limit.enabled", "true",
                    "flashsale.rate-limit.reserve-per-shopper", "0.01",
                    "flashsale.rate-limit.reserve-per-address", "0.02",
                    "flashsale.rate-limit.shoppers-per-address", "0.02",
                    "flashsale.rate-limit.draw-pages-per-address", "0.02",
                    "flashsale.rate-limit.burst-seconds", "200");
        }
    }

    @Inject
    Pool pool;

    @Test
    void shoppersAndAddressesAreLimitedWith429AndRetryAfterAndNothingChanges() {
        UUID product = newProduct(100);
        Shopper alice = newShopper();
        Shopper bob = newShopper();
        Shopper carol = newShopper();
        newShopper();
        given().post("/api/shoppers").then().statusCode(429).header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .contentType(containsString("application/problem+json")).body("code", equalTo("RATE_LIMITED"))
                .body("detail", containsString("new shoppers from this address"));

        reserve(alice, product, 1).then().statusCode(201);
        reserve(alice, product, 1).then().statusCode(200);
        reserve(alice, product, 1).then().statusCode(429).header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .body("code", equalTo("RATE_LIMITED")).body("detail", containsString("for this shopper"));
        reserve(bob, product, 2).then().statusCode(201);
        reserve(bob, product, 2).then().statusCode(200);
        reserve(carol, product, 1).then().statusCode(429).body("code", equalTo("RATE_LIMITED"))
                .body("detail", containsString("from this address"));

        assertEquals(94, Books.read(pool).of(product).available(), "only the four accepted reserves took stock");
        assertEquals(0, Holds.countOfShopper(pool, carol.id()), "a refused reserve made no hold");
        Books.read(pool).assertBalanced();
    }

    /** The published draw is a public read: per address, a 304 counting as a read too. */
    @Test
    void drawPagesAreLimitedPerAddressWith429AndRetryAfter() {
        UUID product = newProduct(5);
        String path = "/api/products/" + product + "/queue/draw";
        String tag = given().get(path).then().statusCode(200).extract().header("ETag");
        given().header("If-None-Match", tag).get(path).then().statusCode(304);
        given().get(path).then().statusCode(200);
        given().queryParam("from", 5).get(path).then().statusCode(200);
        given().get(path).then().statusCode(429).header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .contentType(containsString("application/problem+json")).body("code", equalTo("RATE_LIMITED"))
                .body("detail", containsString("draw pages read from this address"));
        given().header("If-None-Match", tag).get(path).then().statusCode(429);
    }
}

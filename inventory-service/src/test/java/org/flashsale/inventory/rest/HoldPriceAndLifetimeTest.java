package org.flashsale.inventory.rest;

import static org.flashsale.inventory.support.Api.admin;
import static org.flashsale.inventory.support.Api.as;
import static org.flashsale.inventory.support.Api.complete;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.reserve;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.WithPostgres;

/**
 * What a hold costs and how long it may live, through the service's reserve paths: the one-statement fast path (a
 * product without a per-shopper limit) and the careful path (reserve_checked, a limited product). The group commit's
 * statement is checked the same way in ReserveBatchTest.
 */
@QuarkusTest
@WithPostgres
class HoldPriceAndLifetimeTest {

    /** flashsale.hold-ttl of the test profile (the default). */
    private static final Duration TTL = Duration.ofMinutes(2);

    @Inject
    Pool pool;

    @AfterEach
    void booksBalance() {
        Books.read(pool).assertBalanced();
    }

    @ParameterizedTest(name = "limited per shopper: {0}")
    @ValueSource(booleans = { false, true })
    void unitsAddedAfterAPriceChangeAreChargedThePriceAtWhichTheyWereReserved(boolean limited) {
        UUID product = product(20, 100, limited);
        Shopper early = newShopper(), late = newShopper();
        JsonPath first = reserved(early, product, 1, 201);
        assertEquals(100, first.getLong("amountCents"));

        price(product, 1000);
        JsonPath merged = reserved(early, product, 9, 200);
        price(product, 10);
        JsonPath cheaper = reserved(early, product, 1, 200);

        assertEquals(10, merged.getInt("quantity"));
        assertEquals(100 + 9 * 1000, merged.getLong("amountCents"));
        assertEquals(100 + 9 * 1000 + 10, cheaper.getLong("amountCents"));
        assertEquals(100, cheaper.getLong("priceCents"), "the unit price when the hold was made");
        String hold = first.getString("id");
        as(early).get("/api/reservations/" + hold).then().statusCode(200).body("amountCents", equalTo(9110));
        complete(early, UUID.fromString(hold)).then().statusCode(200).body("status", equalTo("COMPLETED"))
                .body("amountCents", equalTo(9110));
        price(product, 1000);
        assertEquals(9000, reserved(late, product, 9, 201).getLong("amountCents"));
    }

    @ParameterizedTest(name = "limited per shopper: {0}")
    @ValueSource(booleans = { false, true })
    void addingToAHoldNeverKeepsItPastItsMaxLifetime(boolean limited) {
        UUID product = product(20, 100, limited);
        Shopper shopper = newShopper();
        JsonPath made = reserved(shopper, product, 1, 201);
        Instant created = Instant.parse(made.getString("createdAt"));
        assertEquals(created.plus(TTL), Instant.parse(made.getString("expiresAt")));
        assertEquals(created.plus(TTL.multipliedBy(3)), Instant.parse(made.getString("latestExpiresAt")),
                "flashsale.hold-max-lifetime defaults to 3 × flashsale.hold-ttl");

        // Five minutes on, re-reserved all along: one minute of its life is left, less than a TTL.
        pool.preparedQuery("""
                UPDATE holds SET created_at = created_at - interval '5 minutes',
                                 latest_expires_at = latest_expires_at - interval '5 minutes',
                                 expires_at = now() + interval '10 seconds'
                WHERE id = $1""").executeAndAwait(Tuple.of(UUID.fromString(made.getString("id"))));
        JsonPath merged = reserved(shopper, product, 1, 200);

        Instant latest = Instant.parse(merged.getString("latestExpiresAt"));
        assertEquals(created.minus(Duration.ofMinutes(5)).plus(TTL.multipliedBy(3)), latest);
        assertEquals(latest, Instant.parse(merged.getString("expiresAt")), "reset, but only as far as its latest expiry");
        assertTrue(latest.isBefore(Instant.now().plus(TTL)));
        assertEquals(2, merged.getInt("quantity"));
    }

    @Test
    void aSaleThatEndedSaysSoWithItsEndWhateverTheReservePath() {
        UUID product = newProduct(5);
        String ended = "2001-02-03T04:05:06Z";
        admin().contentType(ContentType.JSON).body("{\"saleEndsAt\":\"" + ended + "\"}")
                .patch("/api/admin/products/" + product).then().statusCode(200);
        Shopper shopper = newShopper();

        reserve(shopper, product, 1).then().statusCode(409).body("code", equalTo("SALE_NOT_ACTIVE"))
                .body("detail", equalTo("the sale ended at " + ended)).body("saleEndsAt", equalTo(ended))
                .body("$", not(hasKey("saleStartsAt")));
        as(shopper).header("Idempotency-Key", "ended-" + UUID.randomUUID()).contentType(ContentType.JSON)
                .body(Map.of("productId", product.toString(), "quantity", 1)).post("/api/reservations")
                .then().statusCode(409).body("code", equalTo("SALE_NOT_ACTIVE"))
                .body("detail", not(containsString("null"))).body("saleEndsAt", equalTo(ended));
        assertEquals(5, Books.read(pool).of(product).available());
    }

    private static UUID product(int stock, long priceCents, boolean limited) {
        UUID product = newProduct(stock, priceCents);
        if (limited) {
            admin().contentType(ContentType.JSON).body("{\"maxPerShopper\":100}")
                    .patch("/api/admin/products/" + product).then().statusCode(200);
        }
        return product;
    }

    private static void price(UUID product, long priceCents) {
        admin().contentType(ContentType.JSON).body("{\"priceCents\":" + priceCents + "}")
                .patch("/api/admin/products/" + product).then().statusCode(200);
    }

    private static JsonPath reserved(Shopper shopper, UUID product, int quantity, int status) {
        return reserve(shopper, product, quantity).then().statusCode(status).extract().jsonPath();
    }
}

package org.flashsale.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.flashsale.inventory.support.Api.as;
import static org.flashsale.inventory.support.Api.availableStock;
import static org.flashsale.inventory.support.Api.cancel;
import static org.flashsale.inventory.support.Api.complete;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.reserve;
import static org.flashsale.inventory.support.Api.reserveOk;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.inventory.support.Api;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.Holds;
import org.flashsale.testsupport.WithPostgres;

@QuarkusTest
@WithPostgres
class ReservationApiTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    Pool pool;

    @Test
    void reserveTakesStockAndReturnsTheHold() {
        UUID product = newProduct(10, 2500);
        Shopper shopper = newShopper();

        Response response = reserve(shopper, product, 3);

        response.then().statusCode(201)
                .body("productId", equalTo(product.toString()))
                .body("quantity", equalTo(3))
                .body("status", equalTo("ACTIVE"))
                .body("priceCents", equalTo(2500))
                .body("amountCents", equalTo(7500))
                .body("endedAt", nullValue());
        Instant created = Instant.parse(response.path("createdAt"));
        Instant expires = Instant.parse(response.path("expiresAt"));
        assertEquals(Duration.ofMinutes(2), Duration.between(created, expires), "default hold TTL");
        assertEquals(7, availableStock(product));
        Books.read(pool).assertBalanced();
    }

    @Test
    void secondReserveOfTheSameProductMergesAndResetsTheExpiry() {
        UUID product = newProduct(10);
        Shopper shopper = newShopper();
        Response first = reserve(shopper, product, 2);
        first.then().statusCode(201);

        Response second = reserve(shopper, product, 3);

        second.then().statusCode(200)
                .body("id", equalTo(first.path("id")))
                .body("quantity", equalTo(5))
                .body("amountCents", equalTo(5 * 1500));
        assertTrue(Instant.parse(second.path("expiresAt")).isAfter(Instant.parse(first.path("expiresAt"))));
        assertEquals(5, availableStock(product));
        assertEquals(1, Holds.count(pool, product, "ACTIVE"));
    }

    @Test
    void notEnoughStockIsAConflictWithWhatIsLeft() {
        UUID product = newProduct(2);
        Shopper shopper = newShopper();

        reserve(shopper, product, 3).then().statusCode(409).contentType(PROBLEM)
                .body("code", equalTo("OUT_OF_STOCK"))
                .body("availableStock", equalTo(2))
                .body("detail", notNullValue());
        assertEquals(2, availableStock(product), "a refused reserve changes nothing");
        assertEquals(0, Holds.count(pool, product, "ACTIVE"));
    }

    @Test
    void reservingAnUnknownProductIsNotFound() {
        reserve(newShopper(), UUID.randomUUID(), 1).then().statusCode(404).contentType(PROBLEM)
                .body("code", equalTo("PRODUCT_NOT_FOUND"));
    }

    @Test
    void quantityMustBeWithinOneAndMaxPerRequest() {
        UUID product = newProduct(50);
        Shopper shopper = newShopper();

        reserve(shopper, product, 0).then().statusCode(400).contentType(PROBLEM).body("code", equalTo("VALIDATION"));
        reserve(shopper, product, 11).then().statusCode(400).contentType(PROBLEM)
                .body("code", equalTo("VALIDATION")).body("maxPerRequest", equalTo(10));
        reserve(shopper, product, 10).then().statusCode(201);
        assertEquals(40, availableStock(product));
    }

    @Test
    void malformedOrMistypedBodiesAreClearErrors() {
        UUID product = newProduct(5);
        Shopper shopper = newShopper();
        Map<String, String> bodies = Map.of(
                "{\"productId\":\"" + product + "\",\"quantity\":\"2\"}", "VALIDATION",
                "{\"productId\":\"" + product + "\",\"quantity\":2.5}", "VALIDATION",
                "{\"productId\":\"not-a-uuid\",\"quantity\":1}", "VALIDATION",
                "{\"productId\":\"" + product + "\",\"quantity\":1,\"extra\":true}", "VALIDATION",
                "{\"productId\":\"" + product + "\"}", "VALIDATION",
                "{\"productId\":\"" + product + "\",\"quantity\":99999999999}", "VALIDATION",
                "{\"productId\":", "MALFORMED_JSON",
                "", "VALIDATION");
        bodies.forEach((body, code) -> as(shopper).contentType(ContentType.JSON).body(body)
                .post("/api/reservations")
                .then().statusCode(400).contentType(PROBLEM).body("code", equalTo(code)));
        as(shopper).contentType(ContentType.TEXT).body("hello").post("/api/reservations")
                .then().statusCode(415).contentType(PROBLEM).body("code", equalTo("UNSUPPORTED_MEDIA_TYPE"));
        assertEquals(5, availableStock(product), "no bad request changed the stock");
    }

    @Test
    void everyHoldEndpointRequiresAShopperToken() {
        UUID hold = UUID.randomUUID();
        for (Response response : new Response[] {
                given().contentType(ContentType.JSON).body("{}").post("/api/reservations"),
                given().get("/api/reservations"),
                given().get("/api/reservations/" + hold),
                given().post("/api/reservations/" + hold + "/complete"),
                given().post("/api/reservations/" + hold + "/cancel"),
                given().header("Authorization", "Bearer forged.123.c2lnbmF0dXJl").get("/api/reservations"),
                given().header("Authorization", "Basic dXNlcjpwYXNz").get("/api/reservations") }) {
            response.then().statusCode(401).contentType(PROBLEM).body("code", equalTo("UNAUTHORIZED"))
                    .header("WWW-Authenticate", "Bearer");
        }
        Api.admin().get("/api/reservations").then().statusCode(403).contentType(PROBLEM)
                .body("code", equalTo("FORBIDDEN"));
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRejected() {
        Shopper shopper = newShopper();
        String[] parts = shopper.token().split("\\.");
        String tampered = UUID.randomUUID() + "." + parts[1] + "." + parts[2];
        given().header("Authorization", "Bearer " + tampered).get("/api/reservations")
                .then().statusCode(401).body("code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void anotherShoppersHoldDoesNotExistForYou() {
        UUID product = newProduct(5);
        Shopper owner = newShopper();
        Shopper stranger = newShopper();
        UUID hold = reserveOk(owner, product, 1);

        as(stranger).get("/api/reservations/" + hold).then().statusCode(404).body("code", equalTo("HOLD_NOT_FOUND"));
        complete(stranger, hold).then().statusCode(404).body("code", equalTo("HOLD_NOT_FOUND"));
        cancel(stranger, hold).then().statusCode(404).body("code", equalTo("HOLD_NOT_FOUND"));
        as(owner).get("/api/reservations/" + hold).then().statusCode(200).body("status", equalTo("ACTIVE"));
        as(owner).get("/api/reservations/not-a-uuid").then().statusCode(404).body("code", equalTo("HOLD_NOT_FOUND"));
    }

    @Test
    void completeTurnsTheHoldIntoAPurchaseOnce() {
        UUID product = newProduct(5, 999);
        Shopper shopper = newShopper();
        UUID hold = reserveOk(shopper, product, 2);

        Response first = complete(shopper, hold);
        first.then().statusCode(200).body("status", equalTo("COMPLETED")).body("amountCents", equalTo(1998))
                .body("endedAt", notNullValue());
        complete(shopper, hold).then().statusCode(200).body("status", equalTo("COMPLETED"))
                .body("endedAt", equalTo(first.path("endedAt")));

        assertEquals(3, availableStock(product), "completing does not give stock back");
        cancel(shopper, hold).then().statusCode(409).contentType(PROBLEM)
                .body("code", equalTo("HOLD_NOT_ACTIVE")).body("holdStatus", equalTo("COMPLETED"));
        Books.read(pool).assertBalanced();
    }

    @Test
    void cancelGivesTheStockBackExactlyOnce() {
        UUID product = newProduct(5);
        Shopper shopper = newShopper();
        UUID hold = reserveOk(shopper, product, 3);

        cancel(shopper, hold).then().statusCode(200).body("status", equalTo("CANCELLED"));
        cancel(shopper, hold).then().statusCode(200).body("status", equalTo("CANCELLED"));

        assertEquals(5, availableStock(product));
        complete(shopper, hold).then().statusCode(409).contentType(PROBLEM)
                .body("code", equalTo("HOLD_NOT_ACTIVE")).body("holdStatus", equalTo("CANCELLED"));
        Books.read(pool).assertBalanced();
    }

    @Test
    void aHoldPastItsExpiryCannotBeCompletedEvenBeforeTheWorkerRuns() {
        UUID product = newProduct(5);
        Shopper shopper = newShopper();
        UUID hold = reserveOk(shopper, product, 1);
        Holds.expireNow(pool, hold);

        complete(shopper, hold).then().statusCode(410).contentType(PROBLEM)
                .body("code", equalTo("HOLD_EXPIRED")).body("holdStatus", equalTo("EXPIRED"));
        assertEquals(0, Holds.count(pool, product, "COMPLETED"));
    }

    @Test
    void anExpiredHoldCannotBeCompletedOrCancelled() {
        UUID product = newProduct(5);
        Shopper shopper = newShopper();
        UUID hold = reserveOk(shopper, product, 2);
        Holds.expireNow(pool, hold);
        Holds.runExpiry(pool);

        complete(shopper, hold).then().statusCode(410).body("code", equalTo("HOLD_EXPIRED"));
        cancel(shopper, hold).then().statusCode(409).body("code", equalTo("HOLD_NOT_ACTIVE"))
                .body("holdStatus", equalTo("EXPIRED"));
        assertEquals(5, availableStock(product));
        Books.read(pool).assertBalanced();
    }

    @Test
    void theSameIdempotencyKeyReplaysTheFirstResponseWithoutASecondEffect() {
        UUID product = newProduct(10);
        Shopper shopper = newShopper();
        String body = "{\"productId\":\"" + product + "\",\"quantity\":2}";

        Response first = as(shopper).header("Idempotency-Key", "order-1").contentType(ContentType.JSON).body(body)
                .post("/api/reservations");
        Response replay = as(shopper).header("Idempotency-Key", "order-1").contentType(ContentType.JSON).body(body)
                .post("/api/reservations");

        first.then().statusCode(201);
        replay.then().statusCode(201).header("Idempotent-Replayed", "true")
                .body("id", equalTo(first.path("id")))
                .body("quantity", equalTo(2))
                .body("expiresAt", equalTo(first.path("expiresAt")));
        assertEquals(8, availableStock(product), "the replay took no stock");

        as(shopper).header("Idempotency-Key", "order-1").contentType(ContentType.JSON)
                .body("{\"productId\":\"" + product + "\",\"quantity\":3}").post("/api/reservations")
                .then().statusCode(422).contentType(PROBLEM).body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
        assertEquals(8, availableStock(product));

        // Keys belong to their shopper: another shopper's same key is a new request.
        as(newShopper()).header("Idempotency-Key", "order-1").contentType(ContentType.JSON).body(body)
                .post("/api/reservations").then().statusCode(201);
        assertEquals(6, availableStock(product));
    }

    @Test
    void aFailedRequestDoesNotUseUpItsIdempotencyKey() {
        UUID product = newProduct(1);
        Shopper shopper = newShopper();
        String body = "{\"productId\":\"" + product + "\",\"quantity\":2}";

        as(shopper).header("Idempotency-Key", "k").contentType(ContentType.JSON).body(body).post("/api/reservations")
                .then().statusCode(409).body("code", equalTo("OUT_OF_STOCK"));
        Api.admin().contentType(ContentType.JSON).body("{\"quantity\":1}").post("/api/admin/products/" + product + "/restock")
                .then().statusCode(200);
        as(shopper).header("Idempotency-Key", "k").contentType(ContentType.JSON).body(body).post("/api/reservations")
                .then().statusCode(201);
        assertEquals(0, availableStock(product));
    }

    @Test
    void listShowsTheCallersHoldsNewestFirstPagedAndFiltered() {
        Shopper shopper = newShopper();
        UUID a = reserveOk(shopper, newProduct(5), 1);
        UUID b = reserveOk(shopper, newProduct(5), 1);
        UUID c = reserveOk(shopper, newProduct(5), 1);
        cancel(shopper, a).then().statusCode(200);
        reserveOk(newShopper(), newProduct(5), 1);

        as(shopper).get("/api/reservations").then().statusCode(200)
                .body("items", hasSize(3))
                .body("items[0].id", equalTo(c.toString()))
                .body("items[2].id", equalTo(a.toString()))
                .body("hasMore", equalTo(false));
        as(shopper).queryParam("size", 2).get("/api/reservations").then().statusCode(200)
                .body("items", hasSize(2)).body("hasMore", equalTo(true));
        as(shopper).queryParam("size", 2).queryParam("page", 1).get("/api/reservations").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].id", equalTo(a.toString())).body("hasMore", equalTo(false));
        as(shopper).queryParam("status", "ACTIVE").get("/api/reservations").then().statusCode(200)
                .body("items", hasSize(2)).body("items[1].id", equalTo(b.toString()));
        as(shopper).queryParam("status", "BOGUS").get("/api/reservations").then().statusCode(400)
                .contentType(PROBLEM).body("code", equalTo("VALIDATION"));
        as(shopper).queryParam("size", 0).get("/api/reservations").then().statusCode(400)
                .body("code", equalTo("VALIDATION"));
    }
}

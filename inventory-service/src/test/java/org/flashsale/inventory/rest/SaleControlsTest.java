package org.flashsale.inventory.rest;

import static org.flashsale.inventory.support.Api.admin;
import static org.flashsale.inventory.support.Api.availableStock;
import static org.flashsale.inventory.support.Api.cancel;
import static org.flashsale.inventory.support.Api.complete;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.newStripedProduct;
import static org.flashsale.inventory.support.Api.reserve;
import static org.flashsale.inventory.support.Api.reserveOk;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.inventory.support.Stampede.Result;
import org.flashsale.inventory.support.Stampede;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.WithPostgres;

/** Sale windows, limits per shopper, and the operator's controls over them. */
@QuarkusTest
@WithPostgres
class SaleControlsTest {

    @Inject
    Pool pool;

    @AfterEach
    void booksBalance() {
        Books.read(pool).assertBalanced();
    }

    @Test
    void outsideItsWindowAProductCannotBeReservedAndTheAnswerSaysWhenItOpens() {
        Instant opens = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        UUID product = newProduct(10);
        patch(product, "{\"saleStartsAt\":\"" + opens + "\"}").statusCode(200).body("saleStartsAt", equalTo(opens.toString()));

        reserve(newShopper(), product, 1).then().statusCode(409).body("code", equalTo("SALE_NOT_ACTIVE"))
                .body("saleStartsAt", equalTo(opens.toString())).body("detail", containsString("opens"));
        assertEquals(10, availableStock(product));

        patch(product, "{\"saleStartsAt\":null}").statusCode(200).body("saleStartsAt", nullValue());
        reserveOk(newShopper(), product, 1);
    }

    @Test
    void endingASaleEarlyStopsReservesButHoldsAlreadyMadeCanStillBePaid() {
        UUID product = newProduct(10);
        Shopper early = newShopper();
        UUID hold = reserveOk(early, product, 2);

        admin().post("/api/admin/products/" + product + "/end-sale").then().statusCode(200)
                .body("saleEndsAt", notNullValue());

        reserve(newShopper(), product, 1).then().statusCode(409).body("code", equalTo("SALE_NOT_ACTIVE"))
                .body("detail", containsString("ended"));
        complete(early, hold).then().statusCode(200).body("status", equalTo("COMPLETED"));
        assertEquals(8, availableStock(product));
    }

    @Test
    void aSaleWindowMustEndAfterItStarts() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        admin().contentType(ContentType.JSON).body(Map.of("sku", "WINDOW-" + UUID.randomUUID().toString().substring(0, 8),
                        "name", "Backwards", "priceCents", 100, "totalStock", 1,
                        "saleStartsAt", now.toString(), "saleEndsAt", now.minusSeconds(60).toString()))
                .post("/api/admin/products").then().statusCode(400).body("code", equalTo("VALIDATION"));
        UUID product = newProduct(1);
        patch(product, "{\"saleStartsAt\":\"" + now.plusSeconds(60) + "\",\"saleEndsAt\":\"" + now + "\"}")
                .statusCode(400).body("code", equalTo("VALIDATION")).body("detail", containsString("saleStartsAt"));
    }

    @Test
    void aShoppersActiveHoldsAndPurchasesTogetherNeverPassTheLimit() {
        UUID product = newProduct(20);
        patch(product, "{\"maxPerShopper\":3}").statusCode(200).body("maxPerShopper", equalTo(3)).body("name", notNullValue());
        Shopper shopper = newShopper();

        UUID hold = reserveOk(shopper, product, 2);
        reserve(shopper, product, 2).then().statusCode(409).body("code", equalTo("LIMIT_EXCEEDED")).body("remaining", equalTo(1));
        reserve(shopper, product, 1).then().statusCode(200).body("quantity", equalTo(3));
        complete(shopper, hold).then().statusCode(200);
        reserve(shopper, product, 1).then().statusCode(409).body("remaining", equalTo(0));
        reserveOk(newShopper(), product, 3);

        patch(product, "{\"maxPerShopper\":null}").statusCode(200).body("maxPerShopper", nullValue());
        reserve(shopper, product, 1).then().statusCode(201);
        assertEquals(13, availableStock(product));
    }

    @Test
    void aReleasedHoldGivesItsShareOfTheLimitBack() {
        UUID product = newProduct(10);
        patch(product, "{\"maxPerShopper\":2}").statusCode(200);
        Shopper shopper = newShopper();
        UUID hold = reserveOk(shopper, product, 2);
        cancel(shopper, hold).then().statusCode(200);

        reserve(shopper, product, 2).then().statusCode(201);
    }

    @Test
    void manyParallelRequestsFromOneShopperStillStopAtTheLimit() {
        UUID product = newStripedProduct(100, 4);
        patch(product, "{\"maxPerShopper\":3}").statusCode(200);
        Shopper shopper = newShopper();

        List<Result> results;
        try (Stampede stampede = new Stampede()) {
            results = stampede.fire(IntStream.range(0, 30).mapToObj(i -> Stampede.reserve(shopper, product, 1)).toList());
        }

        Map<Integer, Long> byStatus = results.stream().collect(Collectors.groupingBy(Result::status, Collectors.counting()));
        assertEquals(Map.of(201, 1L, 200, 2L, 409, 27L), byStatus);
        assertEquals(97, availableStock(product));
        assertEquals(3, Books.read(pool).of(product).active());
    }

    @Test
    void fieldsLeftOutOfAnUpdateStayAsTheyWere() {
        UUID product = newProduct(5);
        String name = admin().get("/api/products/" + product).then().extract().path("name");

        patch(product, "{\"priceCents\":4200,\"description\":\"Now cheaper\"}").statusCode(200)
                .body("priceCents", equalTo(4200)).body("description", equalTo("Now cheaper"))
                .body("name", equalTo(name)).body("totalStock", equalTo(5));
        patch(UUID.randomUUID(), "{\"priceCents\":1}").statusCode(404).body("code", equalTo("PRODUCT_NOT_FOUND"));
        patch(product, "{\"totalStock\":99}").statusCode(400).body("code", equalTo("VALIDATION"));
    }

    private static ValidatableResponse patch(UUID product, String json) {
        return admin().contentType(ContentType.JSON).body(json).patch("/api/admin/products/" + product).then();
    }
}

package org.flashsale.inventory.rest;

import static org.flashsale.inventory.support.Api.admin;
import static org.flashsale.inventory.support.Api.as;
import static org.flashsale.inventory.support.Api.complete;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.reserveOk;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.inventory.support.Api;
import org.flashsale.inventory.support.Queues;
import org.flashsale.live.LivePublisher;
import org.flashsale.testsupport.LiveClient;
import org.flashsale.testsupport.WithPostgres;

/**
 * The operator's dashboard: each product's books, its hold traffic and a queued product's waiting room, over REST
 * and pushed every second.
 */
@QuarkusTest
@WithPostgres
class DashboardTest {

    @Inject
    Pool pool;

    @Inject
    LivePublisher live;

    @Test
    void theBooksOfEveryProductAreThereForTheOperatorOnly() {
        UUID product = newProduct(10);
        Shopper buyer = newShopper();
        complete(buyer, reserveOk(buyer, product, 2)).then().statusCode(200);
        reserveOk(newShopper(), product, 3);

        String row = "products.find { it.productId == '" + product + "' }";
        admin().get("/api/admin/dashboard").then().statusCode(200).body("type", equalTo("dashboard"))
                .body(row + ".availableStock", equalTo(5)).body(row + ".held", equalTo(3))
                .body(row + ".sold", equalTo(2)).body(row + ".totalStock", equalTo(10));
        as(newShopper()).get("/api/admin/dashboard").then().statusCode(403).body("code", equalTo("FORBIDDEN"));
    }

    @Test
    void anOperatorWatchingSeesHoldsBeingCreatedEverySecond() {
        UUID product = newProduct(50);
        try (LiveClient operator = LiveClient.connect(RestAssured.port, "/ws/admin", Api.ADMIN_KEY)) {
            for (int i = 0; i < 4; i++) {
                reserveOk(newShopper(), product, 1);
            }

            List<JsonNode> seen = operator.until(m -> rowOf(m, product) != null
                    && rowOf(m, product).get("held").asLong() == 4, Duration.ofSeconds(10));
            JsonNode row = rowOf(seen.get(seen.size() - 1), product);
            assertEquals(46, row.get("availableStock").asInt());
            assertEquals(0, row.get("sold").asInt());
            assertTrue(seen.stream().map(m -> rowOf(m, product)).filter(r -> r != null)
                    .anyMatch(r -> r.get("createdPerSecond").asDouble() > 0), "holds created per second showed");
        }
    }

    /**
     * A queued product's row carries its waiting room: 5 join for 2 units; the draw admits 2; one admission lapses
     * and the keeper admits the next. A product without a queue has no queue figures.
     */
    @Test
    void aQueuedProductShowsItsQueueLengthAdmittedLapsedAndAdmissionRate() {
        UUID plain = newProduct(3);
        UUID product = Queues.queuedProduct(2);
        List<Shopper> shoppers = IntStream.range(0, 5).mapToObj(i -> newShopper()).toList();
        shoppers.forEach(shopper -> Queues.join(shopper, product));
        Queues.openSale(product);
        Queues.keepAndAnnounce(pool, live);
        Queues.admissionRunsOut(pool, product, Queues.byPosition(pool, product, shoppers).get(0));

        String row = "products.find { it.productId == '" + product + "' }";
        admin().get("/api/admin/dashboard").then().statusCode(200)
                .body(row + ".queue.waiting", equalTo(3)).body(row + ".queue.admitted", equalTo(1))
                .body(row + ".queue.lapsed", equalTo(1)) // an overdue admission counts as lapsed at once
                .body("products.find { it.productId == '" + plain + "' }", not(hasKey("queue")));

        try (LiveClient operator = LiveClient.connect(RestAssured.port, "/ws/admin", Api.ADMIN_KEY)) {
            Queues.keepAndAnnounce(pool, live);
            JsonNode figures = rowOf(operator.await(m -> rowOf(m, product) != null
                    && rowOf(m, product).path("queue").path("waiting").asInt() == 2, Duration.ofSeconds(10)), product)
                    .get("queue");
            assertEquals(2, figures.get("admitted").asInt(), "the next in line took the lapsed share");
            assertEquals(1, figures.get("lapsed").asInt());
            assertEquals(3 / 60.0, figures.get("admissionsPerSecond").asDouble(), 0.005,
                    "three admissions in the last minute");
        }
    }

    /** The operator's product answers carry the queue's draw seed once the draw ran, as GET …/queue publishes it. */
    @Test
    void theProductAnswerCarriesTheDrawSeedOnceDrawn() {
        UUID product = Queues.queuedProduct(1);
        Queues.join(newShopper(), product);
        admin().get("/api/products/" + product).then().statusCode(200).body("drawSeed", nullValue());
        Queues.openSale(product);
        Queues.keepAndAnnounce(pool, live);

        String seed = RestAssured.get("/api/products/" + product + "/queue").then().statusCode(200)
                .extract().path("drawSeed");
        assertTrue(seed.matches("[0-9a-f]{32}"), seed);
        admin().contentType(ContentType.JSON).body(Map.of("name", "Drawn")).patch("/api/admin/products/" + product)
                .then().statusCode(200).body("drawSeed", equalTo(seed));
        admin().get("/api/products/" + product).then().statusCode(200).body("drawSeed", equalTo(seed));
        admin().get("/api/products/" + newProduct(1)).then().statusCode(200).body("drawSeed", nullValue());
    }

    @Test
    void theDashboardStreamRefusesShoppers() {
        Shopper shopper = newShopper();
        assertThrows(Exception.class, () -> LiveClient.connect(RestAssured.port, "/ws/admin", shopper.token()).close());
        assertThrows(Exception.class, () -> LiveClient.connect(RestAssured.port, "/ws/admin", null).close());
    }

    private static JsonNode rowOf(JsonNode figures, UUID product) {
        if (!"dashboard".equals(figures.path("type").asText())) {
            return null;
        }
        for (JsonNode row : figures.get("products")) {
            if (row.get("productId").asText().equals(product.toString())) {
                return row;
            }
        }
        return null;
    }
}

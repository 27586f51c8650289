package org.flashsale.inventory.rest;

import static org.flashsale.inventory.support.Api.admin;
import static org.flashsale.inventory.support.Api.as;
import static org.flashsale.inventory.support.Api.complete;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.reserveOk;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

import org.flashsale.inventory.support.Api;
import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.testsupport.LiveClient;
import org.flashsale.testsupport.WithPostgres;

/** The operator's dashboard: each product's books and its hold traffic, over REST and pushed every second. */
@QuarkusTest
@WithPostgres
class DashboardTest {

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

package org.flashsale.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.flashsale.inventory.support.Api.admin;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.reserveOk;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.inventory.support.Api;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.WithPostgres;

@QuarkusTest
@WithPostgres
class CatalogApiTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    Pool pool;

    @Test
    void aNewShopperGetsAnIdAndASignedToken() {
        given().post("/api/shoppers").then().statusCode(201)
                .body("shopperId", matchesPattern("[0-9a-f-]{36}"))
                .body("token", notNullValue());
    }

    @Test
    void adminCreatesAProductWhoseStockStartsAllAvailable() {
        String sku = "CREATE-" + UUID.randomUUID();
        String id = admin().contentType(ContentType.JSON)
                .body(Map.of("sku", sku, "name", "Limited Lamp", "priceCents", 4999, "totalStock", 12,
                        "description", "Brass", "imageUrl", "https://example.com/lamp.png", "currency", "EUR"))
                .post("/api/admin/products")
                .then().statusCode(201)
                .body("sku", equalTo(sku)).body("name", equalTo("Limited Lamp")).body("priceCents", equalTo(4999))
                .body("currency", equalTo("EUR")).body("imageUrl", equalTo("https://example.com/lamp.png"))
                .body("description", equalTo("Brass"))
                .body("availableStock", equalTo(12)).body("totalStock", equalTo(12))
                .extract().path("id");

        given().get("/api/products/" + id).then().statusCode(200).body("sku", equalTo(sku));
        given().get("/api/products").then().statusCode(200).body("id", hasItem(id));
    }

    @Test
    void productDefaultsAreUsdAndAnEmptyDescription() {
        admin().contentType(ContentType.JSON)
                .body(Map.of("sku", "DEFAULTS-" + UUID.randomUUID(), "name", "Plain", "priceCents", 0, "totalStock", 0))
                .post("/api/admin/products")
                .then().statusCode(201).body("currency", equalTo("USD")).body("description", equalTo(""))
                .body("imageUrl", equalTo(null));
    }

    @Test
    void aSkuIsUnique() {
        String sku = "DUP-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("sku", sku, "name", "One", "priceCents", 100, "totalStock", 1);
        admin().contentType(ContentType.JSON).body(body).post("/api/admin/products").then().statusCode(201);
        admin().contentType(ContentType.JSON).body(body).post("/api/admin/products")
                .then().statusCode(409).contentType(PROBLEM).body("code", equalTo("SKU_TAKEN"));
    }

    @Test
    void invalidProductsAreRejectedWithEveryViolation() {
        admin().contentType(ContentType.JSON)
                .body(Map.of("sku", " bad sku", "name", "", "priceCents", -1, "totalStock", 2_000_000, "currency", "usd"))
                .post("/api/admin/products")
                .then().statusCode(400).contentType(PROBLEM).body("code", equalTo("VALIDATION"))
                .body("violations.field", hasItem("sku")).body("violations.field", hasItem("name"))
                .body("violations.field", hasItem("priceCents")).body("violations.field", hasItem("totalStock"))
                .body("violations.field", hasItem("currency"));
    }

    @Test
    void restockAddsToTotalAndAvailable() {
        UUID product = newProduct(3);
        reserveOk(newShopper(), product, 2);

        admin().contentType(ContentType.JSON).body("{\"quantity\":5}").post("/api/admin/products/" + product + "/restock")
                .then().statusCode(200).body("totalStock", equalTo(8)).body("availableStock", equalTo(6));
        admin().contentType(ContentType.JSON).body("{\"quantity\":0}").post("/api/admin/products/" + product + "/restock")
                .then().statusCode(400).body("code", equalTo("VALIDATION"));
        admin().contentType(ContentType.JSON).body("{\"quantity\":1}")
                .post("/api/admin/products/" + UUID.randomUUID() + "/restock")
                .then().statusCode(404).body("code", equalTo("PRODUCT_NOT_FOUND"));
        Books.read(pool).assertBalanced();
    }

    @Test
    void adminEndpointsNeedTheAdminKey() {
        given().post("/api/admin/reset").then().statusCode(401).contentType(PROBLEM).body("code", equalTo("UNAUTHORIZED"));
        given().header("Authorization", "Bearer wrong-key").post("/api/admin/reset")
                .then().statusCode(401).body("code", equalTo("UNAUTHORIZED"));
        Api.as(newShopper()).post("/api/admin/reset").then().statusCode(403).contentType(PROBLEM)
                .body("code", equalTo("FORBIDDEN"));
    }

    @Test
    void resetReplacesEverythingWithTheDemoCatalogue() {
        UUID product = newProduct(5);
        reserveOk(newShopper(), product, 1);

        admin().get("/api/admin/dashboard").then().statusCode(200).body("resetAvailable", equalTo(true));
        admin().post("/api/admin/reset").then().statusCode(200)
                .body("size()", greaterThanOrEqualTo(6))
                .body("availableStock", everyItem(greaterThanOrEqualTo(1)));

        given().get("/api/products/" + product).then().statusCode(404).body("code", equalTo("PRODUCT_NOT_FOUND"));
        given().get("/api/products").then().statusCode(200).body("size()", greaterThanOrEqualTo(6))
                .body("findAll { it.availableStock == it.totalStock }", hasSize(Books.read(pool).lines().size()));
        assertEquals(0L, pool.query("SELECT count(*) FROM holds").executeAndAwait().iterator().next().getLong(0));
        Books.read(pool).assertBalanced();
    }

    @Test
    void unknownProductsAndMalformedIdsAreNotFound() {
        given().get("/api/products/" + UUID.randomUUID()).then().statusCode(404).contentType(PROBLEM)
                .body("code", equalTo("PRODUCT_NOT_FOUND"));
        given().get("/api/products/../../etc/passwd").then().statusCode(404).contentType(PROBLEM);
        given().get("/api/products/1 OR 1=1").then().statusCode(404).contentType(PROBLEM)
                .body("code", equalTo("PRODUCT_NOT_FOUND"));
    }

    @Test
    void unknownRoutesAndWrongMethodsAreProblemsToo() {
        given().get("/api/nothing-here").then().statusCode(404).contentType(PROBLEM).body("code", equalTo("NOT_FOUND"));
        given().get("/nothing-here").then().statusCode(404).contentType(PROBLEM).body("code", equalTo("NOT_FOUND"));
        given().delete("/api/products").then().statusCode(405).contentType(PROBLEM)
                .body("code", equalTo("METHOD_NOT_ALLOWED"));
        given().accept("application/xml").get("/api/products").then().statusCode(406).contentType(PROBLEM)
                .body("code", equalTo("NOT_ACCEPTABLE"));
    }
}

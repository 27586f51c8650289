package org.flashsale.inventory.support;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The HTTP API as the tests use it: real requests to the running service. */
public final class Api {

    public static final String ADMIN_KEY = "dev-admin-key-change-me";
    private static final AtomicInteger SKUS = new AtomicInteger();

    private Api() {
    }

    public record Shopper(UUID id, String token) {
    }

    public static Shopper newShopper() {
        Response response = given().post("/api/shoppers").then().statusCode(201).extract().response();
        return new Shopper(UUID.fromString(response.path("shopperId")), response.path("token"));
    }

    /** A fresh product with its own SKU, so tests never share stock. */
    public static UUID newProduct(int totalStock) {
        return newProduct(totalStock, 1500);
    }

    public static UUID newProduct(int totalStock, long priceCents) {
        return create(Map.of("priceCents", priceCents, "totalStock", totalStock));
    }

    /** A fresh product whose stock is spread over {@code stripes} rows. */
    public static UUID newStripedProduct(int totalStock, int stripes) {
        return create(Map.of("priceCents", 1500, "totalStock", totalStock, "stripes", stripes));
    }

    private static UUID create(Map<String, Object> fields) {
        String sku = "TEST-" + System.nanoTime() + "-" + SKUS.incrementAndGet();
        Map<String, Object> body = new HashMap<>(fields);
        body.put("sku", sku);
        body.put("name", "Test " + sku);
        String id = admin().contentType(ContentType.JSON).body(body).post("/api/admin/products")
                .then().statusCode(201).extract().path("id");
        return UUID.fromString(id);
    }

    public static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + ADMIN_KEY);
    }

    public static RequestSpecification as(Shopper shopper) {
        return given().header("Authorization", "Bearer " + shopper.token());
    }

    public static Response reserve(Shopper shopper, UUID productId, int quantity) {
        return as(shopper).contentType(ContentType.JSON)
                .body(Map.of("productId", productId.toString(), "quantity", quantity))
                .post("/api/reservations");
    }

    public static UUID reserveOk(Shopper shopper, UUID productId, int quantity) {
        return UUID.fromString(reserve(shopper, productId, quantity).then().statusCode(201).extract().path("id"));
    }

    public static Response complete(Shopper shopper, UUID holdId) {
        return as(shopper).post("/api/reservations/" + holdId + "/complete");
    }

    public static Response cancel(Shopper shopper, UUID holdId) {
        return as(shopper).post("/api/reservations/" + holdId + "/cancel");
    }

    public static int availableStock(UUID productId) {
        return given().get("/api/products/" + productId).then().statusCode(200).extract().path("availableStock");
    }
}

package org.flashsale.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.flashsale.inventory.support.Api.complete;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.reserveOk;
import static org.flashsale.testsupport.StockFrames.purchases;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.testsupport.LiveClient;
import org.flashsale.testsupport.StockFrames;
import org.flashsale.testsupport.WithPostgres;

/** The public activity feed: purchases and top purchasers by display handle, live and over REST. */
@QuarkusTest
@WithPostgres
class ActivityTest {

    @Test
    void purchasesAppearByHandleOnlyNewestFirstWithTheTopPurchasers() {
        UUID product = newProduct(20);
        Buyer ann = buyer();
        Buyer bob = buyer();
        complete(ann.shopper(), reserveOk(ann.shopper(), product, 1)).then().statusCode(200);
        complete(bob.shopper(), reserveOk(bob.shopper(), product, 3)).then().statusCode(200);
        complete(ann.shopper(), reserveOk(ann.shopper(), product, 1)).then().statusCode(200);
        reserveOk(buyer().shopper(), product, 5); // held, not bought: not activity

        Response activity = given().get("/api/products/" + product + "/activity").then().statusCode(200)
                .body("recentPurchases", hasSize(3))
                .body("recentPurchases[0].handle", equalTo(ann.handle()))
                .body("recentPurchases[1].handle", equalTo(bob.handle())).body("recentPurchases[1].quantity", equalTo(3))
                .body("topPurchasers[0].handle", equalTo(bob.handle())).body("topPurchasers[0].units", equalTo(3))
                .body("topPurchasers[1].handle", equalTo(ann.handle())).body("topPurchasers[1].units", equalTo(2))
                .extract().response();
        String body = activity.asString();
        assertFalse(body.contains(ann.shopper().id().toString()) || body.contains(ann.shopper().token()),
                "no shopper id or token in the feed");

        given().get("/api/activity?limit=2").then().statusCode(200).body("", hasSize(2))
                .body("[0].productId", equalTo(product.toString())).body("[0].handle", equalTo(ann.handle()));
        given().get("/api/activity?limit=0").then().statusCode(400).body("code", equalTo("VALIDATION"));
        given().get("/api/products/" + UUID.randomUUID() + "/activity").then().statusCode(404);
    }

    @Test
    void everyWatcherSeesAPurchaseLive() {
        UUID product = newProduct(5);
        Buyer buyer = buyer();
        UUID hold = reserveOk(buyer.shopper(), product, 2);
        try (LiveClient watcher = LiveClient.stock(RestAssured.port)) {
            watcher.next(Duration.ofSeconds(10)); // the snapshot

            complete(buyer.shopper(), hold).then().statusCode(200);

            JsonNode purchase = purchases(watcher.until(StockFrames::hasPurchases, Duration.ofSeconds(10))).get(0);
            assertEquals(product.toString(), purchase.get("productId").asText());
            assertEquals(buyer.handle(), purchase.get("handle").asText());
            assertEquals(2, purchase.get("quantity").asInt());
            assertFalse(purchase.has("shopperId"));
        }
    }

    @Test
    void aPurchaseInTheSameTickAsAStockChangeStillReachesTheWatcher() {
        UUID product = newProduct(50);
        for (int round = 0; round < 5; round++) {
            Buyer buyer = buyer();
            UUID hold = reserveOk(buyer.shopper(), product, 1);
            try (LiveClient watcher = LiveClient.stock(RestAssured.port)) {
                watcher.next(Duration.ofSeconds(10)); // the snapshot

                // A stock change and a purchase back to back, most likely in one coalesce tick: the tick's own stock
                // frame, still being written, must not count the watcher as slow for the purchase.
                reserveOk(buyer().shopper(), product, 1);
                complete(buyer.shopper(), hold).then().statusCode(200);

                watcher.until(StockFrames::hasPurchases, Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void aShopperGetsADisplayHandleThatRenewingKeeps() {
        Response created = given().post("/api/shoppers").then().statusCode(201)
                .body("handle", matchesPattern("[A-Z][a-z]+ [A-Z][a-z]+ [0-9]{2}")).extract().response();
        String token = created.path("token");
        given().header("Authorization", "Bearer " + token).post("/api/shoppers/me/token").then().statusCode(200)
                .body("handle", equalTo(created.path("handle"))).body("token", not(equalTo("")));
    }

    private record Buyer(Shopper shopper, String handle) {
    }

    private static Buyer buyer() {
        Response response = given().post("/api/shoppers").then().statusCode(201).extract().response();
        return new Buyer(new Shopper(UUID.fromString(response.path("shopperId")), response.path("token")),
                response.path("handle"));
    }
}

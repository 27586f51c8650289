package org.flashsale.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.flashsale.inventory.support.Api.as;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.reserveOk;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.inventory.support.Api;
import org.flashsale.testsupport.WithPostgres;

@QuarkusTest
@WithPostgres
class ShopperApiTest {

    @Test
    void aRenewedTokenIsTheSameShopperWithTheSameHolds() throws InterruptedException {
        Shopper shopper = newShopper();
        UUID hold = reserveOk(shopper, newProduct(5), 1);
        Thread.sleep(1_100); // a token carries its issue time in whole seconds

        String renewed = as(shopper).post("/api/shoppers/me/token").then().statusCode(200)
                .body("shopperId", equalTo(shopper.id().toString())).extract().path("token");

        assertNotEquals(shopper.token(), renewed);
        as(new Shopper(shopper.id(), renewed)).get("/api/reservations/" + hold).then().statusCode(200)
                .body("id", equalTo(hold.toString()));
    }

    @Test
    void onlyAShopperCanRenewItsToken() {
        given().post("/api/shoppers/me/token").then().statusCode(401).body("code", equalTo("UNAUTHORIZED"));
        given().header("Authorization", "Bearer " + UUID.randomUUID() + ".0.forged").post("/api/shoppers/me/token")
                .then().statusCode(401).body("code", equalTo("UNAUTHORIZED"));
        Api.admin().post("/api/shoppers/me/token").then().statusCode(403).body("code", equalTo("FORBIDDEN"));
    }
}

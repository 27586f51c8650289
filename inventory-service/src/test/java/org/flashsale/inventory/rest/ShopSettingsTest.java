package org.flashsale.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.reserve;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

import org.flashsale.testsupport.WithPostgres;

/** GET /api/settings answers the configured hold length and limits, which the holds themselves then follow. */
@QuarkusTest
@WithPostgres
@TestProfile(ShopSettingsTest.ShortHolds.class)
class ShopSettingsTest {

    public static class ShortHolds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("flashsale.hold-ttl", "45s", "flashsale.hold-max-lifetime", "100s",
                    "flashsale.max-per-request", "4");
        }
    }

    @Test
    void theSettingsAreTheConfiguredOnesInIsoDurationsAndCacheableBriefly() {
        given().accept("application/json").get("/api/settings").then().statusCode(200)
                .header("Cache-Control", equalTo("max-age=60"))
                .body("holdTtl", equalTo("PT45S"))
                .body("holdMaxLifetime", equalTo("PT1M40S"))
                .body("maxPerRequest", equalTo(4));
    }

    @Test
    void aNewHoldLastsTheAnnouncedTtlAndAReserveAboveTheAnnouncedMaximumIsRefused() {
        JsonPath settings = given().get("/api/settings").then().statusCode(200).extract().jsonPath();
        UUID product = newProduct(10);

        JsonPath hold = reserve(newShopper(), product, 1).then().statusCode(201).extract().jsonPath();
        assertEquals(Duration.parse(settings.getString("holdTtl")), Duration.between(
                Instant.parse(hold.getString("createdAt")), Instant.parse(hold.getString("expiresAt"))));
        reserve(newShopper(), product, settings.getInt("maxPerRequest") + 1).then().statusCode(400)
                .body("code", equalTo("VALIDATION"));
    }
}

package org.flashsale.inventory.rest;

import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.reserve;
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

import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.testsupport.WithPostgres;

/** flashsale.hold-max-lifetime set below flashsale.hold-ttl: a hold then lives no longer than its max lifetime. */
@QuarkusTest
@WithPostgres
@TestProfile(HoldMaxLifetimeConfigTest.ShortLife.class)
class HoldMaxLifetimeConfigTest {

    public static class ShortLife implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("flashsale.hold-max-lifetime", "90s");
        }
    }

    @Test
    void aNewHoldExpiresAtItsMaxLifetimeWhenThatComesBeforeTheTtl() {
        UUID product = newProduct(5);
        Shopper shopper = newShopper();

        JsonPath hold = reserve(shopper, product, 1).then().statusCode(201).extract().jsonPath();
        JsonPath merged = reserve(shopper, product, 1).then().statusCode(200).extract().jsonPath();

        Instant latest = Instant.parse(hold.getString("createdAt")).plus(Duration.ofSeconds(90));
        assertEquals(latest, Instant.parse(hold.getString("latestExpiresAt")));
        assertEquals(latest, Instant.parse(hold.getString("expiresAt")));
        assertEquals(latest, Instant.parse(merged.getString("expiresAt")));
    }
}

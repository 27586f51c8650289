package org.flashsale.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.flashsale.inventory.support.Api.admin;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import org.flashsale.testsupport.WithPostgres;

/**
 * With {@code flashsale.demo.reset-enabled=false} (every profile but dev and test) the demo reset does not exist: it
 * answers 404 NOT_FOUND exactly as a path that was never there, wipes nothing, and the dashboard says it is not
 * available (so the SPA shows no button).
 */
@QuarkusTest
@WithPostgres
@TestProfile(DemoResetDisabledTest.ResetOff.class)
class DemoResetDisabledTest {

    public static class ResetOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("flashsale.demo.reset-enabled", "false");
        }
    }

    @Test
    void theResetAnswersAsAnUnknownPathAndWipesNothing() {
        UUID product = newProduct(3);
        String unknown = admin().post("/api/admin/no-such-thing").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("NOT_FOUND")).extract().path("detail");

        admin().post("/api/admin/reset").then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo("NOT_FOUND")).body("detail", equalTo(unknown));

        given().get("/api/products/" + product).then().statusCode(200).body("availableStock", equalTo(3));
    }

    @Test
    void theDashboardSaysTheResetIsNotAvailable() {
        admin().get("/api/admin/dashboard").then().statusCode(200).body("resetAvailable", equalTo(false));
    }
}

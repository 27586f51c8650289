package org.flashsale.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URL;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

import org.flashsale.testsupport.WithPostgres;

/**
 * What operators and client generators rely on: the OpenAPI document and Swagger UI on the public port; health and
 * metrics on the management interface only.
 */
@QuarkusTest
@WithPostgres
class PlatformTest {

    @Test
    void theOpenApiDocumentDescribesEveryOperationAndTheBearerSchemes() {
        var doc = given().accept("application/json").get("/q/openapi").then().statusCode(200);
        for (String operation : new String[] { "createShopper", "listProducts", "getProduct", "createProduct",
                "restockProduct", "resetDemoData", "reserve", "listReservations", "getReservation",
                "completeReservation", "cancelReservation" }) {
            doc.body("paths.values().collectMany { it.values() }.operationId", hasItem(operation));
        }
        doc.body("components.securitySchemes.shopperToken.scheme", equalTo("bearer"))
                .body("components.securitySchemes.adminKey.scheme", equalTo("bearer"))
                .body("components.schemas.Problem", notNullValue())
                .body("paths.'/api/reservations'.post.responses.'409'.content.'application/problem+json'", notNullValue())
                .body("paths.'/api/reservations'.post.parameters.name", hasItem("Idempotency-Key"));
    }

    @Test
    void theShopIsServedAtTheRootAndItsPageIsAlwaysRevalidated() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .header("Cache-Control", "no-cache")
                .body(containsString("<div id=\"root\">"));
    }

    @Test
    void swaggerUiIsServed() {
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }

    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;
    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @Test
    void readinessChecksTheDatabase() {
        given().get(ready).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL")));
    }

    /** The management interface serves metrics and health; the public port serves neither. */
    @Test
    void metricsAndHealthAreOnTheManagementPortOnly() {
        assertEquals("/q/metrics", metrics.getPath());
        given().get(metrics).then().statusCode(200).body(containsString("jvm_"));
        given().get(ready).then().statusCode(200);
        for (String path : new String[] { "/q/metrics", "/q/health", "/q/health/ready", "/q/health/live",
                "/q/health/started" }) {
            given().get(path).then().statusCode(404).contentType(containsString("application/problem+json"))
                    .body("code", equalTo("NOT_FOUND"));
        }
        int management = metrics.getPort();
        assertNotEquals(RestAssured.port, management, "its own port");
        given().port(management).get("/q/openapi").then().statusCode(404);
    }
}

package org.flashsale.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import org.flashsale.testsupport.WithPostgres;

/** What operators and client generators rely on: the OpenAPI document, Swagger UI and health. */
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

    @Test
    void readinessChecksTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL")));
    }
}

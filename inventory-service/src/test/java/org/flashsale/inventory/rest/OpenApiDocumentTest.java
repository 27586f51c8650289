package org.flashsale.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import org.flashsale.testsupport.WithPostgres;

/**
 * The committed OpenAPI document (openapi/openapi.json, which the SPA's types and clients are generated from) is the
 * live one. When the API changes, refresh it: {@code cp inventory-service/target/openapi/openapi.json openapi/}.
 */
@QuarkusTest
@WithPostgres
class OpenApiDocumentTest {

    private static final Path COMMITTED = Path.of("../openapi/openapi.json");

    @Test
    void theCommittedDocumentIsTheLiveOne() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode live = json.readTree(given().accept("application/json").get("/q/openapi?format=json").asString());
        JsonNode committed = json.readTree(Files.readString(COMMITTED));

        assertTrue(committed.equals(live), "openapi/openapi.json is stale: copy "
                + "inventory-service/target/openapi/openapi.json over it after building");
    }
}

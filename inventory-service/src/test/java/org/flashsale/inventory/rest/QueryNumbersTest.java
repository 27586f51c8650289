package org.flashsale.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

import org.flashsale.inventory.support.Api;
import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.inventory.support.ErrorLog;
import org.flashsale.testsupport.WithPostgres;

/**
 * Every number in a query is ASCII digits, as ids are: {@code size=５} (fullwidth), {@code page=١} (Arabic-Indic),
 * {@code limit=１} are 400 VALIDATION naming the parameter, for every integer query parameter the OpenAPI document
 * lists — so a parameter added later is covered without touching this test.
 */
@QuarkusTest
@WithPostgres
class QueryNumbersTest {

    /** Digits other than ASCII's that {@code Integer.parseInt} reads, and the plus sign it takes too. */
    private static final List<String> NOT_ASCII_DIGITS = List.of("５", "１", "١", "٥", "۵", "५", "１０", "+5");

    record NumericQuery(String method, String path, String parameter, boolean secured) {
    }

    @Test
    void everyIntegerQueryParameterRefusesNonAsciiDigitsWith400Validation() throws Exception {
        List<NumericQuery> queries = numericQueries();
        assertEquals(List.of("GET /api/activity limit", "GET /api/admin/audit page", "GET /api/admin/audit size",
                "GET /api/orders page", "GET /api/orders size", "GET /api/products/{id}/activity limit",
                "GET /api/products/{id}/queue/draw from", "GET /api/products/{id}/queue/draw limit",
                "GET /api/reservations page", "GET /api/reservations size"),
                queries.stream().map(q -> q.method() + " " + q.path() + " " + q.parameter()).sorted().toList(),
                "the integer query parameters of the document (a new one is tested too: update this list)");
        UUID product = newProduct(5);
        Shopper shopper = newShopper();
        try (ErrorLog log = ErrorLog.capture()) {
            for (NumericQuery query : queries) {
                String path = query.path().replace("{id}", product.toString());
                for (String spelling : NOT_ASCII_DIGITS) {
                    RequestSpecification request = as(query, shopper).queryParam(query.parameter(), spelling);
                    request.request(query.method(), path).then().statusCode(400)
                            .contentType(containsString("application/problem+json"))
                            .body("code", equalTo("VALIDATION"))
                            .body("violations[0].field", equalTo(query.parameter()));
                }
                // The same number in ASCII is accepted.
                RequestSpecification ascii = as(query, shopper).queryParam(query.parameter(), "5");
                ascii.request(query.method(), path).then().statusCode(200);
            }
            assertEquals(List.of(), log.errors());
        }
    }

    /** The caller an operation needs: nobody, the admin key, or a shopper's token. */
    private static RequestSpecification as(NumericQuery query, Shopper shopper) {
        if (!query.secured()) {
            return given();
        }
        return given().header("Authorization", "Bearer "
                + (query.path().startsWith("/api/admin/") ? Api.ADMIN_KEY : shopper.token()));
    }

    /** The document's operations and their integer query parameters, and whether each is secured. */
    private static List<NumericQuery> numericQueries() throws Exception {
        JsonNode document = new ObjectMapper().readTree(given().accept("application/json").get("/q/openapi")
                .then().statusCode(200).extract().asString());
        List<NumericQuery> found = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                for (JsonNode parameter : operation.getValue().path("parameters")) {
                    if (parameter.path("in").asText().equals("query")
                            && parameter.path("schema").path("type").asText().equals("integer")) {
                        found.add(new NumericQuery(operation.getKey().toUpperCase(), path.getKey(),
                                parameter.get("name").asText(), operation.getValue().has("security")));
                    }
                }
            }
        }
        return found;
    }
}

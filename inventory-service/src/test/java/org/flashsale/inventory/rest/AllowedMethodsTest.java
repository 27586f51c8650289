package org.flashsale.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import org.flashsale.inventory.contract.DocumentedErrors.DocumentedOperation;
import org.flashsale.inventory.contract.DocumentedErrors;
import org.flashsale.testsupport.WithPostgres;

/**
 * {@code Allow} says what a path answers, and the path answers exactly that: on OPTIONS, on every 405, and HEAD
 * wherever GET is. Requests go without credentials: a method the path has is refused with 401 at worst, never 405.
 */
@QuarkusTest
@WithPostgres
class AllowedMethodsTest {

    private static final String PROBLEM = "application/problem+json";
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
    private static final String ID = UUID.randomUUID().toString();

    @Test
    void optionsListsTheMethodsOfThePathNotOfItsResourceClass() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("/api/admin/products", "POST, OPTIONS");
        expected.put("/api/admin/products/" + ID, "PATCH, OPTIONS");
        expected.put("/api/admin/products/" + ID + "/restock", "POST, OPTIONS");
        expected.put("/api/admin/dashboard", "GET, HEAD, OPTIONS");
        expected.put("/api/reservations", "GET, HEAD, POST, OPTIONS");
        expected.put("/api/reservations/" + ID, "GET, HEAD, OPTIONS");
        expected.put("/api/reservations/" + ID + "/complete", "POST, OPTIONS");
        expected.put("/api/reservations/" + ID + "/cancel", "POST, OPTIONS");
        expected.put("/api/shoppers", "POST, OPTIONS");
        expected.put("/api/shoppers/me/token", "POST, OPTIONS");
        expected.put("/api/products", "GET, HEAD, OPTIONS");
        expected.put("/api/products/" + ID, "GET, HEAD, OPTIONS");

        expected.put("/api/products/", "GET, HEAD, OPTIONS");

        expected.forEach((path, allow) -> given().options(path).then().statusCode(200)
                .header("Allow", equalTo(allow)).body(emptyString()));
    }

    @Test
    void everyDocumentedPathAnswersExactlyTheMethodsItsAllowLists() {
        Map<String, Set<String>> documented = new TreeMap<>();
        for (DocumentedOperation operation : DocumentedErrors.live().operations()) {
            documented.computeIfAbsent(operation.path(ID), p -> new TreeSet<>()).add(operation.method());
        }
        documented.forEach((path, methods) -> {
            String allow = given().options(path).then().statusCode(200).extract().header("Allow");
            assertEquals(allowFor(methods), allow, "OPTIONS " + path);
            for (String method : METHODS) {
                Response answer = given().request(method, path);
                if (allow.contains(method)) {
                    assertNotEquals(405, answer.statusCode(), method + " " + path + " is in Allow: " + allow);
                } else {
                    assertEquals(405, answer.statusCode(), method + " " + path + " is not in Allow: " + allow);
                    assertEquals(allow, answer.header("Allow"), "Allow of the 405 to " + method + " " + path);
                    if (!method.equals("HEAD")) {
                        answer.then().contentType(PROBLEM).body("code", equalTo("METHOD_NOT_ALLOWED"));
                    }
                }
            }
        });
    }

    @Test
    void headAnswersWhereGetDoesAndIsRefusedWhereItDoesNot() {
        given().head("/api/products").then().statusCode(200).body(emptyString());
        given().head("/api/products/" + ID).then().statusCode(404).body(emptyString());
        given().head("/api/shoppers").then().statusCode(405).header("Allow", "POST, OPTIONS");
        given().head("/api/admin/products").then().statusCode(405).header("Allow", "POST, OPTIONS");
    }

    @Test
    void aWrongMethodIs405WithTheAllowOfThePath() {
        given().delete("/api/admin/products/" + ID).then().statusCode(405).contentType(PROBLEM)
                .header("Allow", "PATCH, OPTIONS").body("code", equalTo("METHOD_NOT_ALLOWED"));
        given().get("/api/admin/reset").then().statusCode(405).header("Allow", "POST, OPTIONS");
        given().put("/api/reservations/" + ID + "/cancel").then().statusCode(405).header("Allow", "POST, OPTIONS");
        given().post("/api/products").then().statusCode(405).header("Allow", "GET, HEAD, OPTIONS");
    }

    @Test
    void optionsOnAPathWithoutARouteIsNotFoundEvenUnderAResourceClass() {
        given().options("/api/nothing-here").then().statusCode(404).contentType(PROBLEM)
                .body("code", equalTo("NOT_FOUND"));
        given().options("/api/products/" + ID + "/nothing").then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void aCorsPreflightIsStillAnsweredByTheCorsHandler() {
        given().header("Origin", "http://localhost:5173").header("Access-Control-Request-Method", "PATCH")
                .options("/api/admin/products/" + ID).then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:5173");
        // A cross-origin OPTIONS that is not a preflight gets the path's Allow and the CORS headers.
        given().header("Origin", "http://localhost:5173").options("/api/products").then().statusCode(200)
                .header("Allow", "GET, HEAD, OPTIONS")
                .header("Access-Control-Allow-Origin", "http://localhost:5173");
    }

    private static String allowFor(Set<String> methods) {
        List<String> order = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
        Set<String> all = new TreeSet<>(methods);
        if (all.contains("GET")) {
            all.add("HEAD");
        }
        all.add("OPTIONS");
        return String.join(", ", order.stream().filter(all::contains).toList());
    }
}

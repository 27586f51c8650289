package org.flashsale.inventory.contract;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import org.flashsale.inventory.admin.AdminResource;
import org.flashsale.inventory.contract.DocumentedErrors.DocumentedOperation;
import org.flashsale.inventory.hold.ReservationResource;
import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.ErrorContract;
import org.flashsale.inventory.http.problem.ProblemHeader;
import org.flashsale.inventory.order.OrderResource;
import org.flashsale.inventory.product.ActivityResource;
import org.flashsale.inventory.product.ProductResource;
import org.flashsale.inventory.queue.QueueResource;
import org.flashsale.inventory.security.ShopperTokens;
import org.flashsale.inventory.settings.ShopSettingsResource;
import org.flashsale.inventory.shopper.ShopperResource;
import org.flashsale.inventory.support.Api;
import org.flashsale.testsupport.WithPostgres;

/**
 * The document lists, for every operation, exactly the codes of its resource method ({@link ErrorContract}), with the
 * headers that belong to them; and every operation really answers the codes that follow from its shape. Together
 * with {@link UndeclaredCodeFilter} (no test may see a code its operation does not declare) and HostileInputTest
 * (its corpus expects only documented codes), a code answered but not documented fails the build.
 */
@QuarkusTest
@WithPostgres
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorContractTest {

    private static final List<Class<?>> RESOURCES = List.of(ActivityResource.class, AdminResource.class,
            OrderResource.class, ProductResource.class, QueueResource.class, ReservationResource.class,
            ShopperResource.class, ShopSettingsResource.class);
    private static final String SHOPPER_SCHEME = "shopperToken";

    @Inject
    ShopperTokens tokens;

    private DocumentedErrors document;
    private String shopperToken;

    /** Before each test, when rest-assured points at the running service (it does not yet in a @BeforeAll). */
    @BeforeEach
    void readTheDocument() {
        if (document == null) {
            document = DocumentedErrors.live();
            shopperToken = Api.newShopper().token();
        }
    }

    @Test
    void everyOperationListsExactlyTheCodesOfItsResourceMethod() {
        Map<String, Method> methods = new TreeMap<>();
        for (Class<?> resource : RESOURCES) {
            for (Method method : resource.getDeclaredMethods()) {
                Operation operation = method.getAnnotation(Operation.class);
                if (operation != null) {
                    methods.put(operation.operationId(), method);
                }
            }
        }
        assertEquals(methods.keySet(), document.operations().stream().map(DocumentedOperation::operationId)
                .collect(Collectors.toCollection(TreeSet::new)), "every operation of the document, and no other");

        for (DocumentedOperation operation : document.operations()) {
            Set<String> expected = names(ErrorContract.codes(methods.get(operation.operationId())));
            assertEquals(expected, operation.codes(), operation.operationId());
            operation.errorResponses().forEach((status, response) -> {
                String where = operation.operationId() + " " + status;
                Set<ErrorCode> codes = EnumSet.noneOf(ErrorCode.class);
                DocumentedErrors.codesOf(response).forEach(code -> codes.add(ErrorCode.valueOf(code)));
                codes.forEach(code -> {
                    assertEquals(status, String.valueOf(code.status()), where + " lists " + code);
                    assertTrue(response.path("description").asText().contains(code.name()), where);
                    assertEquals(code.name(), response.path("content").path(DocumentedErrors.PROBLEM)
                            .path("examples").path(code.name()).path("value").path("code").asText(), where);
                });
                assertEquals("#/components/schemas/Problem", response.path("content").path(DocumentedErrors.PROBLEM)
                        .path("schema").path("$ref").asText(), where);
                assertEquals(headerNames(codes), fieldNames(response.path("headers")), where + " headers");
            });
        }
    }

    @Test
    void every401NamesTheBearerChallengeAndEvery429And503SaysWhenToRetry() {
        for (DocumentedOperation operation : document.operations()) {
            operation.errorResponses().forEach((status, response) -> {
                Set<String> headers = fieldNames(response.path("headers"));
                switch (status) {
                    case "401" -> assertEquals(Set.of("WWW-Authenticate"), headers, operation.operationId());
                    case "429", "503" -> assertEquals(Set.of("Retry-After"), headers, operation.operationId());
                    default -> assertEquals(Set.of(), headers, operation.operationId() + " " + status);
                }
            });
        }
    }

    @Test
    void everySecuredOperationAnswers401WithTheChallengeAnd403ToTheOtherRole() {
        for (DocumentedOperation operation : document.operations()) {
            if (operation.securityScheme().isEmpty()) {
                continue;
            }
            boolean forShoppers = operation.securityScheme().get().equals(SHOPPER_SCHEME);
            expect(send(operation, null, "{}"), 401, ErrorCode.UNAUTHORIZED, operation)
                    .header("WWW-Authenticate", ProblemHeader.BEARER);
            expect(send(operation, forShoppers ? Api.ADMIN_KEY : shopperToken, "{}"), 403, ErrorCode.FORBIDDEN,
                    operation);
        }
    }

    @Test
    void aTokenOfAShopperTheDatabaseDoesNotKnowIs401WithTheChallengeToo() {
        String unknown = tokens.issue(UUID.randomUUID());
        given().header("Authorization", "Bearer " + unknown).post("/api/shoppers/me/token")
                .then().statusCode(401).header("WWW-Authenticate", ProblemHeader.BEARER)
                .body("code", equalTo("UNAUTHORIZED"));
        given().header("Authorization", "Bearer " + unknown).contentType("application/json")
                .body("{\"productId\":\"" + Api.newProduct(1) + "\",\"quantity\":1}").post("/api/reservations")
                .then().statusCode(401).header("WWW-Authenticate", ProblemHeader.BEARER)
                .body("code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void everyOperationAnswers406ToAnAcceptItCannotMeet() {
        for (DocumentedOperation operation : document.operations()) {
            RequestSpecification request = spec(operation, tokenFor(operation)).accept("application/xml");
            if (operation.hasBody()) {
                request.contentType("application/json").body("{}");
            }
            expect(request.request(operation.method(), operation.path(UUID.randomUUID().toString())).then(),
                    406, ErrorCode.NOT_ACCEPTABLE, operation);
        }
    }

    @Test
    void everyOperationWithABodyRefusesAnythingButOneJsonDocumentOfTheRightTypeAndSize() {
        for (DocumentedOperation operation : document.operations()) {
            if (!operation.hasBody()) {
                continue;
            }
            String path = operation.path(UUID.randomUUID().toString());
            String token = tokenFor(operation);
            expect(spec(operation, token).contentType("text/plain").body("{}").request(operation.method(), path)
                    .then(), 415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, operation);
            expect(send(operation, token, "{"), 400, ErrorCode.MALFORMED_JSON, operation);
            expect(send(operation, token, "null"), 400, ErrorCode.VALIDATION, operation);
            expect(send(operation, token, "{\"pad\":\"" + "x".repeat(40 * 1024) + "\"}"), 413,
                    ErrorCode.PAYLOAD_TOO_LARGE, operation);
        }
    }

    @Test
    void aCodeItsOperationDoesNotDeclareFailsEveryTestThatSeesIt() {
        given().get("/test/undeclared-code").then().statusCode(500)
                .body("code", equalTo("INTERNAL"))
                .body("detail", startsWith(UndeclaredCodeFilter.UNDECLARED + "UndeclaredCodeResource.outOfStock "
                        + "answered OUT_OF_STOCK"));
        given().get("/test/undeclared-code/declared").then().statusCode(404).body("code", equalTo("PRODUCT_NOT_FOUND"));
    }

    private ValidatableResponse send(DocumentedOperation operation, String token, String json) {
        RequestSpecification request = spec(operation, token);
        if (operation.hasBody()) {
            request.contentType("application/json").body(json);
        }
        return request.request(operation.method(), operation.path(UUID.randomUUID().toString())).then();
    }

    private static RequestSpecification spec(DocumentedOperation operation, String token) {
        RequestSpecification request = given();
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private String tokenFor(DocumentedOperation operation) {
        return operation.securityScheme().map(scheme -> scheme.equals(SHOPPER_SCHEME) ? shopperToken : Api.ADMIN_KEY)
                .orElse(null);
    }

    private static ValidatableResponse expect(ValidatableResponse response, int status, ErrorCode code,
            DocumentedOperation operation) {
        assertTrue(operation.codes().contains(code.name()), operation.operationId() + " does not list " + code);
        return response.statusCode(status).contentType(startsWith(DocumentedErrors.PROBLEM))
                .body("code", equalTo(code.name()));
    }

    private static Set<String> names(Set<ErrorCode> codes) {
        return codes.stream().map(ErrorCode::name).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> headerNames(Set<ErrorCode> codes) {
        return codes.stream().flatMap(code -> code.headers().stream()).map(ProblemHeader::headerName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

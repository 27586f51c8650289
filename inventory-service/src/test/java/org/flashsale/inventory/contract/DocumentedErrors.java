package org.flashsale.inventory.contract;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The error codes the live OpenAPI document ({@code /q/openapi}) lists, per operation and status. */
public final class DocumentedErrors {

    /** One operation of the document: how it is called, and its responses. */
    public record DocumentedOperation(String method, String pathTemplate, String operationId, JsonNode node) {

        /** Every code the operation's error responses list (the keys of their examples). */
        public Set<String> codes() {
            Set<String> codes = new TreeSet<>();
            errorResponses().forEach((status, response) -> codes.addAll(codesOf(response)));
            return codes;
        }

        /** The error responses by status: those with a problem body. */
        public Map<String, JsonNode> errorResponses() {
            Map<String, JsonNode> errors = new TreeMap<>();
            node.path("responses").fields().forEachRemaining(entry -> {
                if (entry.getValue().path("content").has(PROBLEM)) {
                    errors.put(entry.getKey(), entry.getValue());
                }
            });
            return errors;
        }

        /** The name of the security scheme the operation requires, if any. */
        public Optional<String> securityScheme() {
            JsonNode security = node.path("security");
            return security.isArray() && !security.isEmpty()
                    ? Optional.of(security.get(0).fieldNames().next())
                    : Optional.empty();
        }

        public boolean hasBody() {
            return node.has("requestBody");
        }

        /** The path with every template variable filled in by {@code value}. */
        public String path(String value) {
            return pathTemplate.replaceAll("\\{[^}]+}", value);
        }

        boolean matches(String httpMethod, String rawPath) {
            return method.equalsIgnoreCase(httpMethod) && pattern(pathTemplate).matcher(rawPath).matches();
        }
    }

    public static final String PROBLEM = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<DocumentedOperation> operations;

    private DocumentedErrors(List<DocumentedOperation> operations) {
        this.operations = operations;
    }

    /** Reads the running service's document. */
    public static DocumentedErrors live() {
        try {
            return of(JSON.readTree(given().accept("application/json").get("/q/openapi?format=json").asString()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static DocumentedErrors of(JsonNode document) {
        List<DocumentedOperation> operations = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> {
            Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
            methods.forEachRemaining(method -> operations.add(new DocumentedOperation(
                    method.getKey().toUpperCase(Locale.ROOT), path.getKey(),
                    method.getValue().path("operationId").asText(), method.getValue())));
        });
        return new DocumentedErrors(operations);
    }

    public List<DocumentedOperation> operations() {
        return operations;
    }

    /** The operation a request (method and raw path, without the query) is for, if the document has one. */
    public Optional<DocumentedOperation> operationFor(String method, String rawPath) {
        String path = rawPath.contains("?") ? rawPath.substring(0, rawPath.indexOf('?')) : rawPath;
        return operations.stream().filter(operation -> operation.matches(method, path)).findFirst();
    }

    /** The codes a response lists: one example per code. */
    public static Set<String> codesOf(JsonNode response) {
        Set<String> codes = new TreeSet<>();
        response.path("content").path(PROBLEM).path("examples").fieldNames().forEachRemaining(codes::add);
        return codes;
    }

    private static Pattern pattern(String template) {
        String[] literals = template.split("\\{[^}]+}", -1);
        StringBuilder regex = new StringBuilder(Pattern.quote(literals[0]));
        for (int i = 1; i < literals.length; i++) {
            regex.append("[^/]+").append(Pattern.quote(literals[i]));
        }
        return Pattern.compile(regex.toString());
    }
}

package org.flashsale.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A small client of the public API, as a shop front or a load generator would use it. */
final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** A reply; {@code retryAfter} is its Retry-After header, or null. */
    record Reply(int status, JsonNode body, String retryAfter) {
    }

    record Shopper(UUID id, String token) {
    }

    private final String baseUrl;
    private final Duration timeout;

    Http(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(60));
    }

    /** A client whose requests give up after {@code timeout} (a load generator that must not hang on a dead peer). */
    Http(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl;
        this.timeout = timeout;
    }

    Reply get(String path) {
        return send(request(path).GET().build());
    }

    /** A GET as a shopper (or the admin: {@code bearer} is the admin key). */
    Reply get(String path, String bearer) {
        return send(request(path).header("Authorization", "Bearer " + bearer).GET().build());
    }

    Reply patch(String path, String bearer, String json) {
        return send(request(path).header("Content-Type", "application/json").header("Authorization", "Bearer " + bearer)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    String getText(String path) {
        try {
            return CLIENT.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Reply post(String path, String bearer, String json) {
        return send(postRequest(path, bearer, json));
    }

    CompletableFuture<Reply> postAsync(String path, String bearer, String json) {
        return CLIENT.sendAsync(postRequest(path, bearer, json), HttpResponse.BodyHandlers.ofString())
                .thenApply(Http::reply);
    }

    Shopper newShopper() {
        JsonNode body = post("/api/shoppers", null, "").body();
        return new Shopper(UUID.fromString(body.get("shopperId").asText()), body.get("token").asText());
    }

    UUID newProduct(int totalStock) {
        String sku = "SYS-" + UUID.randomUUID();
        Reply reply = post("/api/admin/products", App.ADMIN_KEY,
                "{\"sku\":\"" + sku + "\",\"name\":\"System test\",\"priceCents\":1000,\"totalStock\":" + totalStock + "}");
        if (reply.status() != 201) {
            throw new IllegalStateException("could not create a product: " + reply);
        }
        return UUID.fromString(reply.body().get("id").asText());
    }

    CompletableFuture<Reply> reserve(Shopper shopper, UUID product, int quantity) {
        return postAsync("/api/reservations", shopper.token(),
                "{\"productId\":\"" + product + "\",\"quantity\":" + quantity + "}");
    }

    /** A reserve with an Idempotency-Key: sent again with the same key, it is answered, not made twice. */
    CompletableFuture<Reply> reserve(Shopper shopper, UUID product, int quantity, String idempotencyKey) {
        HttpRequest request = request("/api/reservations").header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + shopper.token()).header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"productId\":\"" + product + "\",\"quantity\":" + quantity + "}"))
                .build();
        return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(Http::reply);
    }

    /** Runs {@code count} calls with at most {@code parallel} in flight at once; returns every reply in order. */
    static <T> List<T> inParallel(int count, int parallel, Function<Integer, CompletableFuture<T>> call) {
        Semaphore slots = new Semaphore(parallel);
        List<CompletableFuture<T>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            slots.acquireUninterruptibly();
            futures.add(call.apply(i).whenComplete((reply, failure) -> slots.release()));
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
    }

    private HttpRequest postRequest(String path, String bearer, String json) {
        HttpRequest.Builder builder = request(path).header("Content-Type", "application/json")
                .POST(json.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        return builder.build();
    }

    private static Reply send(HttpRequest request) {
        try {
            return reply(CLIENT.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Reply reply(HttpResponse<String> response) {
        try {
            JsonNode body = response.body().isEmpty() ? null : JSON.readTree(response.body());
            return new Reply(response.statusCode(), body,
                    response.headers().firstValue("Retry-After").orElse(null));
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + response.body(), e);
        }
    }
}

package org.flashsale.inventory.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.restassured.RestAssured;

/** Fires many real HTTP requests at the service at once and collects every response. */
public final class Stampede implements AutoCloseable {

    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(executor)
            .build();

    /** A request to send, named so its response can be matched to it. */
    public record Call(String name, HttpRequest request) {
    }

    public record Result(String name, int status, String body) {
    }

    public static Call reserve(Api.Shopper shopper, UUID productId, int quantity) {
        return new Call(shopper.id().toString(), post("/api/reservations", shopper,
                "{\"productId\":\"" + productId + "\",\"quantity\":" + quantity + "}"));
    }

    public static Call reserve(Api.Shopper shopper, UUID productId, int quantity, String idempotencyKey) {
        HttpRequest request = HttpRequest.newBuilder(reserve(shopper, productId, quantity).request(), (name, value) -> true)
                .header("Idempotency-Key", idempotencyKey)
                .build();
        return new Call(shopper.id().toString(), request);
    }

    public static Call complete(Api.Shopper shopper, UUID holdId) {
        return new Call(holdId.toString(), post("/api/reservations/" + holdId + "/complete", shopper, ""));
    }

    public static Call cancel(Api.Shopper shopper, UUID holdId) {
        return new Call(holdId.toString(), post("/api/reservations/" + holdId + "/cancel", shopper, ""));
    }

    private static HttpRequest post(String path, Api.Shopper shopper, String json) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + shopper.token())
                .header("Content-Type", "application/json")
                .POST(json.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    /** Sends every call concurrently and waits for all the responses. */
    public List<Result> fire(List<Call> calls) {
        List<CompletableFuture<Result>> inFlight = calls.stream()
                .map(call -> client.sendAsync(call.request(), HttpResponse.BodyHandlers.ofString())
                        .thenApply(response -> new Result(call.name(), response.statusCode(), response.body())))
                .toList();
        return inFlight.stream().map(CompletableFuture::join).toList();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

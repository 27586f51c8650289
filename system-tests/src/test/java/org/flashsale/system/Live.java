package org.flashsale.system;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A WebSocket client of one inventory-service instance's live streams. */
final class Live implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;

    private Live(App app, String path, String token) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (token != null) {
            builder.subprotocols("bearer-token-carrier", URLEncoder.encode(
                    "quarkus-http-upgrade#Authorization#Bearer " + token, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        socket = builder.buildAsync(URI.create("ws://localhost:" + app.port + path), this).join();
    }

    static Live stock(App app) {
        return new Live(app, "/ws/stock", null);
    }

    static Live shopper(App app, String token) {
        return new Live(app, "/ws/shopper", token);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                messages.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    /** The first message that matches, waiting up to the timeout. */
    JsonNode await(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode message = messages.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("no matching message within " + timeout);
            }
            if (match.test(message)) {
                return message;
            }
        }
    }

    @Override
    public void close() {
        socket.abort();
    }
}

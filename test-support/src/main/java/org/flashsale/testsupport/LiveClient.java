package org.flashsale.testsupport;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A real WebSocket client of one inventory-service's live streams, collecting every JSON message it receives. */
public final class LiveClient implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private LiveClient() {
    }

    public static LiveClient stock(int port) {
        return connect(port, "/ws/stock", null);
    }

    /** Connects as a browser does: the token travels in Sec-WebSocket-Protocol. */
    public static LiveClient shopper(int port, String token) {
        return connect(port, "/ws/shopper", token);
    }

    public static LiveClient connect(int port, String path, String token) {
        LiveClient client = new LiveClient();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (token != null) {
            builder.subprotocols("bearer-token-carrier", URLEncoder.encode(
                    "quarkus-http-upgrade#Authorization#Bearer " + token, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        client.socket = builder.buildAsync(URI.create("ws://localhost:" + port + path), client).join();
        return client;
    }

    /** The server's answer to an upgrade it refused; fails the test when the upgrade went through. */
    public static HttpResponse<?> refusal(int port, String path, String token) {
        try {
            connect(port, path, token).close();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse();
            }
            throw e;
        }
        throw new AssertionError("the upgrade to " + path + " was accepted");
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                messages.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new IllegalStateException("not JSON: " + partial, e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    /** The next message, or fails after the timeout. */
    public JsonNode next(Duration timeout) {
        try {
            JsonNode message = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("no message within " + timeout);
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for a message that matches, returning it; the ones before it are returned too, in order. */
    public List<JsonNode> until(Predicate<JsonNode> match, Duration timeout) {
        List<JsonNode> seen = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode message = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            seen.add(message);
            if (match.test(message)) {
                return seen;
            }
        }
    }

    /** The first message that matches, waiting up to the timeout; the ones before it are dropped. */
    public JsonNode await(Predicate<JsonNode> match, Duration timeout) {
        List<JsonNode> seen = until(match, timeout);
        return seen.get(seen.size() - 1);
    }

    /** What arrived so far without waiting. */
    public List<JsonNode> drain() {
        List<JsonNode> drained = new ArrayList<>();
        messages.drainTo(drained);
        return drained;
    }

    @Override
    public void close() {
        socket.abort();
    }
}

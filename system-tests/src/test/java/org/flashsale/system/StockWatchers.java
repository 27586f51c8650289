package org.flashsale.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Many /ws/stock watchers on one HTTP client (one selector thread, one file each), each reconnecting as the SPA does
 * when its stream closes or breaks, and keeping the newest available stock it was told of per product. Counts how
 * streams ended (by close code; "error" when the connection broke without a close frame).
 */
final class StockWatchers implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
    private final URI uri;
    private final List<Watcher> watchers = new ArrayList<>();
    private final Map<String, LongAdder> endings = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failedConnects = new ConcurrentHashMap<>();
    private volatile boolean closing;

    StockWatchers(String baseUrl, int count) {
        this.uri = URI.create(baseUrl.replaceFirst("^http", "ws") + "/ws/stock");
        for (int i = 0; i < count; i++) {
            Watcher watcher = new Watcher();
            watchers.add(watcher);
            watcher.connect();
        }
    }

    /** How many are connected now. */
    long open() {
        return watchers.stream().filter(w -> w.socket != null).count();
    }

    /** How streams ended so far, by close code ("1001", "error", …). */
    Map<String, Long> endings() {
        Map<String, Long> counts = new ConcurrentHashMap<>();
        endings.forEach((code, count) -> counts.put(code, count.sum()));
        return counts;
    }

    /** Connects that failed (each tried again 200 ms later), by what failed them. */
    Map<String, Long> failedConnects() {
        Map<String, Long> counts = new ConcurrentHashMap<>();
        failedConnects.forEach((why, count) -> counts.put(why, count.sum()));
        return counts;
    }

    /** Watchers whose newest value of the product is not {@code available} (or who have none). */
    long notShowing(UUID product, int available) {
        return watchers.stream().filter(w -> w.stock.getOrDefault(product, -1) != available).count();
    }

    /** Watchers whose stream was closed with this code at least once. */
    long closedWith(int code) {
        return watchers.stream().filter(w -> w.closes.containsKey(code)).count();
    }

    @Override
    public void close() {
        closing = true;
        watchers.forEach(w -> {
            WebSocket socket = w.socket;
            if (socket != null) {
                socket.abort();
            }
        });
        retries.shutdownNow();
    }

    private final class Watcher implements WebSocket.Listener {

        private final Map<UUID, Integer> stock = new ConcurrentHashMap<>();
        private final Map<Integer, AtomicInteger> closes = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile WebSocket socket;

        void connect() {
            if (closing) {
                return;
            }
            client.newWebSocketBuilder().buildAsync(uri, this).whenComplete((opened, failure) -> {
                if (failure != null) {
                    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                    String why = cause instanceof java.net.http.WebSocketHandshakeException refused
                            ? "refused " + refused.getResponse().statusCode() : cause.toString();
                    failedConnects.computeIfAbsent(why, k -> new LongAdder()).increment();
                    retries.schedule(this::connect, 200, TimeUnit.MILLISECONDS);
                }
            });
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                read(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closes.computeIfAbsent(statusCode, code -> new AtomicInteger()).incrementAndGet();
            ended(Integer.toString(statusCode));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended("error");
        }

        private void ended(String how) {
            socket = null;
            partial.setLength(0);
            if (!closing) {
                endings.computeIfAbsent(how, k -> new LongAdder()).increment();
                connect(); // at once, as the SPA does after a 1001
            }
        }

        private void read(String text) {
            try {
                JsonNode message = JSON.readTree(text);
                String type = message.path("type").asText();
                JsonNode entries = "snapshot".equals(type) ? message.path("products")
                        : "batch".equals(type) ? message.path("stock") : null;
                if (entries != null) {
                    for (JsonNode entry : entries) {
                        stock.put(UUID.fromString(entry.get("productId").asText()), entry.get("availableStock").asInt());
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException("not JSON: " + text, e);
            }
        }
    }
}

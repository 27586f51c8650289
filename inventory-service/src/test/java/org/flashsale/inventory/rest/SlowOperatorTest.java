package org.flashsale.inventory.rest;

import static org.flashsale.inventory.support.Api.admin;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

import org.flashsale.inventory.live.CrowdedLive;
import org.flashsale.inventory.support.Api;
import org.flashsale.testsupport.WithPostgres;

/**
 * An operator whose client stops reading /ws/admin never makes the server queue its figures: at most one message is
 * being written and only the newest waits, so when it reads again it gets a few messages and then the current ones,
 * not every tick it missed.
 */
@QuarkusTest
@WithPostgres
@TestProfile(CrowdedLive.class)
class SlowOperatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PAUSE = Duration.ofSeconds(8);
    /** CrowdedLive's flashsale.live.dashboard-interval. Measured: 54 messages after 400 missed ticks of 76 KB. */
    private static final long TICK_MILLIS = 20;

    @Test
    void anOperatorWhoStopsReadingGetsTheNewestFiguresNotABacklog() throws Exception {
        // Large figures (200 products with long names: ~80 KB a tick), so a paused reader fills the socket buffers.
        for (int i = 0; i < 200; i++) {
            admin().contentType("application/json").body(Map.of("sku", "SLOW-" + i + "-" + System.nanoTime(),
                    "name", "An operator's product with a long name ".repeat(5) + i, "priceCents", 100,
                    "totalStock", 5)).post("/api/admin/products").then().statusCode(201);
        }
        Paused operator = new Paused();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols("bearer-token-carrier", URLEncoder.encode(
                        "quarkus-http-upgrade#Authorization#Bearer " + Api.ADMIN_KEY, StandardCharsets.UTF_8)
                        .replace("+", "%20"))
                .buildAsync(URI.create("ws://localhost:" + RestAssured.port + "/ws/admin"), operator).join();
        try {
            socket.request(1);
            JsonNode first = operator.next();
            int size = first.toString().length();
            assertTrue(size > 50_000, "a tick's figures are " + size + " bytes");

            Thread.sleep(PAUSE.toMillis()); // reads nothing: the server's writes back up
            Instant resumed = Instant.now();
            long missedTicks = PAUSE.toMillis() / TICK_MILLIS;

            int received = 0;
            JsonNode message;
            do {
                socket.request(1);
                message = operator.next();
                received++;
            } while (Instant.parse(message.get("at").asText()).isBefore(resumed));
            Duration catchingUp = Duration.between(resumed, Instant.now());

            assertTrue(received < missedTicks / 2, received + " messages after missing " + missedTicks + " ticks");
            assertTrue(catchingUp.compareTo(Duration.ofSeconds(3)) < 0, "current figures after " + catchingUp);
        } finally {
            socket.abort();
        }
    }

    /** A client that reads one message per request(1) and otherwise reads nothing from the network. */
    private static final class Paused implements WebSocket.Listener {
        private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
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
            } else {
                webSocket.request(1); // the rest of this message
            }
            return null;
        }

        JsonNode next() throws InterruptedException {
            JsonNode message = messages.poll(10, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no figures within 10 s");
            }
            return message;
        }
    }
}

package org.flashsale.inventory.live;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

import org.flashsale.inventory.live.stock.WatcherAdmission;
import org.flashsale.inventory.support.Api;
import org.flashsale.inventory.support.ErrorLog;
import org.flashsale.inventory.support.RawHttp.Reply;
import org.flashsale.inventory.support.RawHttp;
import org.flashsale.testsupport.LiveClient;
import org.flashsale.testsupport.WithPostgres;

/** flashsale.live.max-watchers: past it an upgrade to /ws/stock is refused at the door, and a freed slot is free. */
@QuarkusTest
@WithPostgres
@TestProfile(CrowdedLive.class)
class WatcherCapTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Metrics are on the management interface, not the public port. */
    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @Inject
    WatcherAdmission admission;

    @BeforeEach
    void everyEarlierWatcherHasLeft() {
        until(() -> admission.watchers() == 0);
    }

    @Test
    void theUpgradePastTheCapIs503WithRetryAfterAndAProblemAndAClosedWatchersSlotIsFreeAgain() throws Exception {
        try (ErrorLog log = ErrorLog.capture()) {
            LiveClient first = LiveClient.stock(RestAssured.port);
            LiveClient second = LiveClient.stock(RestAssured.port);
            try {
                first.await(WatcherCapTest::isSnapshot, WAIT);
                second.await(WatcherCapTest::isSnapshot, WAIT);

                Reply refused = upgrade();
                assertEquals(503, refused.status());
                assertEquals("10", refused.header("Retry-After"));
                assertEquals("application/problem+json", refused.header("Content-Type"));
                JsonNode problem = JSON.readTree(refused.body());
                assertEquals("OVERLOADED", problem.get("code").asText());
                assertEquals(503, problem.get("status").asInt());
                assertEquals(10, problem.get("retryAfterSeconds").asInt());
                assertTrue(problem.get("detail").asText().contains("2 live watchers"), problem.toString());
                HttpResponse<?> browserLike = LiveClient.refusal(RestAssured.port, "/ws/stock", null);
                assertEquals(503, browserLike.statusCode());
                assertEquals(Optional.of("10"), browserLike.headers().firstValue("Retry-After"));
                assertEquals(2, admission.watchers());
                assertTrue(given().get(metrics).asString().contains("flashsale_live_watchers 2.0"),
                        "the count is exported");

                second.close();
                until(() -> admission.watchers() == 1);
                try (LiveClient third = LiveClient.stock(RestAssured.port)) {
                    third.await(WatcherCapTest::isSnapshot, WAIT);
                    assertEquals(2, admission.watchers());
                }
            } finally {
                first.close();
                second.close();
            }
            assertEquals(List.of(), log.errors());
        }
    }

    @Test
    void upgradesRacingForTheLastSlotsNeverTakeMoreThanTheCap() {
        int racers = 40;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<LiveClient> admitted = new ArrayList<>();
        try {
            List<CompletableFuture<Object>> attempts = IntStream.range(0, racers)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        try {
                            return (Object) LiveClient.stock(RestAssured.port);
                        } catch (RuntimeException refused) {
                            return refused;
                        }
                    }, pool)).toList();
            List<Object> outcomes = attempts.stream().map(CompletableFuture::join).toList();
            outcomes.stream().filter(LiveClient.class::isInstance).map(LiveClient.class::cast).forEach(admitted::add);

            assertEquals(CrowdedLive.MAX_WATCHERS, admitted.size(), "admitted of " + racers + " racing upgrades");
            assertEquals(CrowdedLive.MAX_WATCHERS, admission.watchers());
            admitted.forEach(client -> client.await(WatcherCapTest::isSnapshot, WAIT));
        } finally {
            admitted.forEach(LiveClient::close);
            pool.shutdownNow();
        }
    }

    /**
     * A watcher is counted once, by flashsale_live_watchers: Micrometer's HTTP metrics leave /ws/stock out (a
     * long-task sample per open watcher, in a sorted set every upgrade joins and every scrape walks), and still count
     * the other streams' connections.
     */
    @Test
    void watchersAreCountedByTheirGaugeAndNotByAnHttpSampleEach() {
        try (LiveClient watcher = LiveClient.stock(RestAssured.port);
                LiveClient operator = LiveClient.connect(RestAssured.port, "/ws/admin", Api.ADMIN_KEY)) {
            watcher.await(WatcherCapTest::isSnapshot, WAIT);
            until(() -> given().get(metrics).asString().contains("flashsale_live_watchers 1.0"));
            List<String> connections = given().get(metrics).asString().lines()
                    .filter(line -> line.startsWith("http_server_websocket_connections_seconds_active_count"))
                    .toList();
            assertTrue(connections.stream().anyMatch(line -> line.contains("uri=\"/ws/admin\"")),
                    connections.toString());
            assertTrue(connections.stream().noneMatch(line -> line.contains("/ws/stock")), connections.toString());
        }
    }

    /** An upgrade request the way a browser sends it. */
    private static Reply upgrade() {
        return RawHttp.exchangeOne("GET /ws/stock HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\n"
                + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    }

    private static void until(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static boolean isSnapshot(JsonNode message) {
        return "snapshot".equals(message.path("type").asText());
    }
}

package org.flashsale.inventory.live;

import static org.flashsale.inventory.support.Api.complete;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.reserveOk;
import static org.flashsale.inventory.support.Queues.admissionRunsOut;
import static org.flashsale.inventory.support.Queues.byPosition;
import static org.flashsale.inventory.support.Queues.join;
import static org.flashsale.inventory.support.Queues.keepAndAnnounce;
import static org.flashsale.inventory.support.Queues.leave;
import static org.flashsale.inventory.support.Queues.openSale;
import static org.flashsale.inventory.support.Queues.queuedProduct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.inventory.live.shopper.ShopperSocket;
import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.live.LivePublisher;
import org.flashsale.testsupport.LiveClient;
import org.flashsale.testsupport.WithPostgres;

/**
 * The waiting room on /ws/shopper: what the keeper does to a shopper's place (run here as the expiry-worker runs it,
 * announced over the real NOTIFY) reaches that shopper's own connection as a queue message, and nobody else's.
 */
@QuarkusTest
@WithPostgres
class QueuePushesTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final AsyncApiContract CONTRACT = AsyncApiContract.committed();

    @Inject
    Pool pool;

    @Inject
    LivePublisher live;

    @Inject
    ShopperSocket sockets;

    @Test
    void aWaitingShopperHearsTheirPlaceTheirAdmissionAndItsLapseAndABystanderHearsNothing() {
        UUID product = queuedProduct(1);
        List<Shopper> shoppers = List.of(newShopper(), newShopper(), newShopper());
        Shopper bystander = newShopper();
        shoppers.forEach(shopper -> join(shopper, product));
        Map<Shopper, LiveClient> streams = connect(shoppers);
        try (LiveClient bystanderStream = connected(bystander)) {
            openSale(product);
            keepAndAnnounce(pool, live);
            List<Shopper> inLine = byPosition(pool, product, shoppers);
            Shopper first = inLine.get(0), second = inLine.get(1), third = inLine.get(2);

            JsonNode admitted = await(streams.get(first), product, "ADMITTED");
            assertEquals(1, admitted.get("position").asInt());
            assertTrue(Instant.parse(admitted.get("admissionExpiresAt").asText()).isAfter(Instant.now()));
            assertTrue(admitted.get("ahead").isNull());
            JsonNode secondWaits = awaitPlaced(streams.get(second), product);
            assertEquals(2, secondWaits.get("position").asInt());
            assertEquals(0, secondWaits.get("ahead").asInt());
            JsonNode thirdWaits = awaitPlaced(streams.get(third), product);
            assertEquals(3, thirdWaits.get("position").asInt());
            assertEquals(1, thirdWaits.get("ahead").asInt());
            assertTrue(thirdWaits.get("admissionExpiresAt").isNull());

            admissionRunsOut(pool, product, first);
            keepAndAnnounce(pool, live);

            JsonNode lapsed = await(streams.get(first), product, "LAPSED");
            assertTrue(lapsed.get("admissionExpiresAt").isNull());
            JsonNode nowAdmitted = await(streams.get(second), product, "ADMITTED");
            assertTrue(nowAdmitted.hasNonNull("admissionExpiresAt"));
            JsonNode movedUp = streams.get(third).await(queue(product, "WAITING").and(QueuePushesTest::noneAhead), WAIT);
            assertEquals(3, movedUp.get("position").asInt());

            List<JsonNode> all = new ArrayList<>(List.of(admitted, secondWaits, thirdWaits, lapsed, nowAdmitted, movedUp));
            streams.values().forEach(stream -> all.addAll(stream.drain()));
            all.forEach(message -> CONTRACT.assertValid("/ws/shopper", message));
            assertTrue(bystanderStream.drain().isEmpty(), "a shopper outside the queue hears nothing of it");
        } finally {
            streams.values().forEach(LiveClient::close);
        }
    }

    @Test
    void theCloseReachesEveryWaitingShopperAndTheAdmittedOneHearsTheirReserveUsedTheAdmission() {
        UUID product = queuedProduct(1);
        List<Shopper> shoppers = IntStream.range(0, 4).mapToObj(i -> newShopper()).toList();
        shoppers.forEach(shopper -> join(shopper, product));
        Map<Shopper, LiveClient> streams = connect(shoppers);
        try {
            openSale(product);
            keepAndAnnounce(pool, live);
            Shopper buyer = byPosition(pool, product, shoppers).get(0);
            await(streams.get(buyer), product, "ADMITTED");

            UUID hold = reserveOk(buyer, product, 1);
            await(streams.get(buyer), product, "RESERVED");
            complete(buyer, hold).then().statusCode(200);
            keepAndAnnounce(pool, live); // nothing available, nothing held: sold out for good

            for (Shopper shopper : shoppers) {
                if (shopper != buyer) {
                    JsonNode soldOut = await(streams.get(shopper), product, "SOLD_OUT");
                    assertTrue(soldOut.get("ahead").isNull() && soldOut.get("estimatedWaitSeconds").isNull());
                    CONTRACT.assertValid("/ws/shopper", soldOut);
                }
            }
        } finally {
            streams.values().forEach(LiveClient::close);
        }
    }

    /**
     * Four shoppers ahead leave within a moment of the draw: the last in line hears its place at most once a second
     * (flashsale.live.queue-coalesce), and the newest number ahead comes through.
     */
    @Test
    void movingUpIsCoalescedToTheNewestPlaceAtMostOnceASecond() {
        UUID product = queuedProduct(1);
        List<Shopper> shoppers = IntStream.range(0, 6).mapToObj(i -> newShopper()).toList();
        shoppers.forEach(shopper -> join(shopper, product));
        Map<Shopper, LiveClient> streams = connect(shoppers);
        try {
            openSale(product);
            keepAndAnnounce(pool, live);
            List<Shopper> inLine = byPosition(pool, product, shoppers);
            LiveClient stream = streams.get(inLine.get(5));
            JsonNode placed = awaitPlaced(stream, product);
            long placedAt = System.nanoTime();
            assertEquals(6, placed.get("position").asInt());
            List<Shopper> ahead = inLine.subList(1, 5); // the first is admitted
            assertEquals(4, placed.get("ahead").asInt());

            ahead.forEach(shopper -> leave(shopper, product));

            List<JsonNode> later = stream.until(QueuePushesTest::noneAhead, WAIT);
            assertTrue(System.nanoTime() - placedAt >= Duration.ofMillis(900).toNanos(),
                    "the newest place waited for its second");
            assertTrue(later.size() < ahead.size(), later.size() + " messages for " + ahead.size() + " changes: " + later);
            later.forEach(message -> CONTRACT.assertValid("/ws/shopper", message));
        } finally {
            streams.values().forEach(LiveClient::close);
        }
    }

    private static JsonNode await(LiveClient stream, UUID product, String state) {
        return stream.await(queue(product, state), WAIT);
    }

    /**
     * The first WAITING ticket with a place (an earlier one may say position null: changing the sale time resyncs the
     * listeners, which read the queue before the draw).
     */
    private static JsonNode awaitPlaced(LiveClient stream, UUID product) {
        return stream.await(queue(product, "WAITING").and(message -> message.hasNonNull("position")), WAIT);
    }

    private static boolean noneAhead(JsonNode message) {
        return message.path("ahead").isIntegralNumber() && message.get("ahead").asLong() == 0;
    }

    private static Predicate<JsonNode> queue(UUID product, String state) {
        return message -> "queue".equals(message.path("type").asText())
                && product.toString().equals(message.path("productId").asText())
                && state.equals(message.path("state").asText());
    }

    private Map<Shopper, LiveClient> connect(List<Shopper> shoppers) {
        Map<Shopper, LiveClient> streams = new HashMap<>();
        shoppers.forEach(shopper -> streams.put(shopper, connected(shopper)));
        return streams;
    }

    /** A shopper's stream, once this instance holds it (its open has run). */
    private LiveClient connected(Shopper shopper) {
        LiveClient stream = LiveClient.shopper(RestAssured.port, shopper.token());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!sockets.isConnected(shopper.id())) {
            if (System.nanoTime() > deadline) {
                stream.close();
                throw new AssertionError("the shopper's stream never opened");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return stream;
    }
}

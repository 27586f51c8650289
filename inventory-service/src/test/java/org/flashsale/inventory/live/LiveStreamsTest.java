package org.flashsale.inventory.live;

import static org.flashsale.inventory.support.Api.availableStock;
import static org.flashsale.inventory.support.Api.cancel;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.reserve;
import static org.flashsale.inventory.support.Api.reserveOk;
import static org.flashsale.testsupport.StockFrames.stockOf;
import static org.flashsale.testsupport.StockFrames.withStock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.inventory.support.Stampede;
import org.flashsale.testsupport.LiveClient;
import org.flashsale.testsupport.WithPostgres;

@QuarkusTest
@WithPostgres
class LiveStreamsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aWatcherGetsASnapshotThenEachChange() {
        UUID product = newProduct(20);
        try (LiveClient client = LiveClient.stock(RestAssured.port)) {
            JsonNode snapshot = client.next(WAIT);
            assertEquals("snapshot", snapshot.get("type").asText());
            assertTrue(snapshot.has("serverTime"));
            JsonNode mine = find(snapshot.get("products"), product);
            assertEquals(20, mine.get("availableStock").asInt());
            assertEquals(20, mine.get("totalStock").asInt());

            reserveOk(newShopper(), product, 3);

            JsonNode batch = last(client.until(withStock(product), WAIT));
            assertEquals("batch", batch.get("type").asText());
            assertTrue(batch.has("serverTime"));
            assertTrue(batch.get("purchases").isArray());
            JsonNode update = stockOf(batch, product);
            assertEquals(17, update.get("availableStock").asInt());
            assertEquals(20, update.get("totalStock").asInt());
            assertTrue(update.get("version").asLong() > mine.get("version").asLong());
            assertTrue(update.has("at"));
        }
    }

    @Test
    void valuesArriveInVersionOrderAndEndAtTheTruth() {
        UUID product = newProduct(500);
        List<Shopper> shoppers = IntStream.range(0, 60).mapToObj(i -> newShopper()).toList();
        try (LiveClient client = LiveClient.stock(RestAssured.port); Stampede stampede = new Stampede()) {
            client.next(WAIT);

            stampede.fire(shoppers.stream().map(s -> Stampede.reserve(s, product, 2)).toList());

            int truth = availableStock(product);
            List<JsonNode> updates = client.until(withStock(product, s -> s.get("availableStock").asInt() == truth),
                    WAIT).stream().map(m -> stockOf(m, product)).filter(s -> !s.isMissingNode()).toList();
            long previous = -1;
            for (JsonNode update : updates) {
                assertTrue(update.get("version").asLong() > previous, "versions only grow: " + updates);
                previous = update.get("version").asLong();
            }
            assertTrue(updates.size() < 60, "coalesced: fewer messages than changes (" + updates.size() + ")");
        }
    }

    @Test
    void aShopperHearsOnlyTheirOwnHolds() {
        UUID product = newProduct(10);
        Shopper alice = newShopper();
        Shopper bob = newShopper();
        try (LiveClient aliceLive = LiveClient.shopper(RestAssured.port, alice.token());
                LiveClient bobLive = LiveClient.shopper(RestAssured.port, bob.token())) {
            UUID hold = reserveOk(alice, product, 1);
            JsonNode created = aliceLive.next(WAIT);
            assertEquals("hold", created.get("type").asText());
            assertEquals("CREATED", created.get("change").asText());
            assertEquals(hold.toString(), created.get("id").asText());
            assertEquals(product.toString(), created.get("productId").asText());
            assertEquals("ACTIVE", created.get("status").asText());
            assertTrue(created.has("expiresAt"));

            reserve(alice, product, 2).then().statusCode(200);
            JsonNode extended = aliceLive.next(WAIT);
            assertEquals("EXTENDED", extended.get("change").asText());
            assertEquals(3, extended.get("quantity").asInt());

            cancel(alice, hold).then().statusCode(200);
            JsonNode cancelled = aliceLive.next(WAIT);
            assertEquals("CANCELLED", cancelled.get("status").asText());
            assertTrue(cancelled.hasNonNull("endedAt"));

            UUID bobsHold = reserveOk(bob, product, 1);
            assertEquals(bobsHold.toString(), bobLive.next(WAIT).get("id").asText());
            assertTrue(aliceLive.drain().isEmpty(), "alice hears nothing of bob's hold");
            assertTrue(bobLive.drain().isEmpty(), "bob heard only his own");
        }
    }

    @Test
    void theStreamsThatNeedAnIdentityRefuseAnUpgradeWithoutOneAtTheDoorAndQuietly() throws InterruptedException {
        List<String> errors = new CopyOnWriteArrayList<>();
        Handler errorLog = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record.getLoggerName() + ": " + record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(errorLog);
        try {
            for (String[] attempt : new String[][] { { "/ws/shopper", null }, { "/ws/shopper", "forged.1.c2ln" },
                    { "/ws/admin", null } }) {
                HttpResponse<?> refusal = LiveClient.refusal(RestAssured.port, attempt[0], attempt[1]);
                assertEquals(401, refusal.statusCode(), attempt[0]);
                assertEquals(Optional.of("Bearer"), refusal.headers().firstValue("WWW-Authenticate"), attempt[0]);
            }
            // A shopper is someone, but not the operator.
            assertEquals(403, LiveClient.refusal(RestAssured.port, "/ws/admin", newShopper().token()).statusCode());
            Thread.sleep(200); // anything the refusals would log comes right after them, on the event loop
        } finally {
            Logger.getLogger("").removeHandler(errorLog);
        }
        // Before: an upgrade without a token on /ws/shopper was answered 401 and then failed again with
        // "Response has already been written", logged as an ERROR for every such request.
        assertEquals(List.of(), errors);
    }

    private static JsonNode find(JsonNode products, UUID product) {
        for (JsonNode p : products) {
            if (p.get("productId").asText().equals(product.toString())) {
                return p;
            }
        }
        throw new AssertionError(product + " not in the snapshot");
    }

    private static JsonNode last(List<JsonNode> messages) {
        return messages.get(messages.size() - 1);
    }
}

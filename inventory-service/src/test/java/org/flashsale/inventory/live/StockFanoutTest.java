package org.flashsale.inventory.live;

import static org.flashsale.testsupport.StockFrames.isBatch;
import static org.flashsale.testsupport.StockFrames.isSnapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.live.LivePublisher;
import org.flashsale.testsupport.LiveClient;
import org.flashsale.testsupport.WithPostgres;

/**
 * The fan-out of /ws/stock as watchers see it over real WebSockets: per coalesce tick one batch frame carrying every
 * changed product once, at its newest value, in version order; a watcher that stops reading is skipped, never queued
 * for, and once it reads again catches up with the newest values only.
 */
@QuarkusTest
@WithPostgres
class StockFanoutTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SKU_PREFIX = "FANOUT-";

    @Inject
    Pool pool;

    @Inject
    LivePublisher live;

    @Inject
    Vertx vertx;

    @AfterEach
    void removeProducts() {
        pool.preparedQuery("DELETE FROM products WHERE sku LIKE $1").execute(Tuple.of(SKU_PREFIX + "%"))
                .await().indefinitely();
    }

    /**
     * Five products changed 1, 3, 5, 7 and 9 times in one transaction, announced together: one frame, each product
     * once, at the version the database has, in ascending version order; nothing else follows for them.
     */
    @Test
    void manyChangesToSeveralProductsInOneTickAreOneFrameWithEachProductOnceAtItsNewest() throws Exception {
        List<UUID> products = newProducts(5, 100);
        try (LiveClient watcher = LiveClient.stock(RestAssured.port)) {
            watcher.await(m -> isSnapshot(m), WAIT);

            StringBuilder changes = new StringBuilder("DO $$ BEGIN ");
            for (int i = 0; i < products.size(); i++) {
                changes.append("FOR n IN 1..").append(2 * i + 1).append(" LOOP ").append(change(products.get(i)))
                        .append("; END LOOP; ");
            }
            pool.query(changes.append("END $$").toString()).execute().await().indefinitely();
            products.forEach(live::stock);

            Map<UUID, Long> truth = versions(products);
            JsonNode frame = watcher.await(m -> !aboutThese(m, products).isEmpty(), WAIT);
            List<JsonNode> entries = aboutThese(frame, products);
            assertEquals(products, entries.stream().map(e -> UUID.fromString(e.get("productId").asText())).toList(),
                    "each product once, in version order (they changed 1, 3, 5, 7, 9 times): " + frame);
            for (JsonNode entry : entries) {
                UUID product = UUID.fromString(entry.get("productId").asText());
                assertEquals(truth.get(product), entry.get("version").asLong(), "the newest version: " + frame);
            }
            assertEquals(List.of(99, 97, 95, 93, 91), entries.stream().map(e -> e.get("availableStock").asInt()).toList());
            Thread.sleep(500); // several ticks
            assertTrue(watcher.drain().stream().allMatch(m -> aboutThese(m, products).isEmpty()),
                    "no second frame about them");
        }
    }

    /**
     * A watcher whose client stops reading (its TCP buffers fill up, so the server's writes to it stay pending) while
     * 1,500 products change every tick (frames of about 200 KB, so the socket buffers, up to a few MB on loopback,
     * fill within seconds): a watcher that reads gets a frame per tick, the stalled one is skipped rather than queued
     * for, and once it reads again it gets only the newest values — every product at the database's version, its
     * versions only growing, jumping over the values it missed, in far fewer frames than the watcher that kept up.
     */
    @Test
    void aWatcherThatFallsBehindCatchesUpWithTheNewestValuesOnly() throws Exception {
        List<UUID> products = newProducts(1_500, 1_000_000);
        Set<String> ids = products.stream().map(UUID::toString).collect(Collectors.toSet());
        WebSocketClient client = vertx.getDelegate().createWebSocketClient(new WebSocketClientOptions()
                .setReceiveBufferSize(4096).setMaxFrameSize(64 << 20).setMaxMessageSize(64 << 20));
        BlockingQueue<JsonNode> stalledFrames = new LinkedBlockingQueue<>();
        try (LiveClient keepingUp = LiveClient.stock(RestAssured.port)) {
            WebSocket stalled = client.connect(RestAssured.port, "localhost", "/ws/stock")
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            stalled.textMessageHandler(text -> {
                JsonNode frame = read(text);
                stalledFrames.add(frame);
                if (isSnapshot(frame)) {
                    stalled.pause(); // from now on it reads nothing
                }
            });
            keepingUp.await(m -> isSnapshot(m), WAIT);
            assertTrue(isSnapshot(stalledFrames.poll(20, TimeUnit.SECONDS)));

            int rounds = 80;
            for (int round = 0; round < rounds; round++) {
                pool.preparedQuery(change("ANY($1)")).execute(Tuple.of(products.toArray(UUID[]::new)))
                        .await().indefinitely();
                products.forEach(live::stock);
                Thread.sleep(100); // about one coalesce tick
            }
            Map<UUID, Long> truth = versions(products);
            List<JsonNode> keptUp = untilNewest(keepingUp::next, truth);

            stalled.resume();
            List<JsonNode> caughtUp = untilNewest(timeout -> poll(stalledFrames, timeout), truth);
            Thread.sleep(500);
            assertTrue(stalledFrames.isEmpty(), "nothing after the newest values: " + stalledFrames.size());

            long keptUpFrames = keptUp.stream().filter(m -> !aboutIds(m, ids).isEmpty()).count();
            long caughtUpFrames = caughtUp.stream().filter(m -> !aboutIds(m, ids).isEmpty()).count();
            assertTrue(keptUpFrames >= rounds / 2, "the reading watcher gets about a frame per tick: " + keptUpFrames);
            assertTrue(caughtUpFrames < keptUpFrames / 2,
                    "skipped, not queued for: " + caughtUpFrames + " frames against " + keptUpFrames);
            long jumped = largestJump(caughtUp, ids);
            long stepped = largestJump(keptUp, ids);
            assertTrue(jumped >= 10 && jumped > 2 * stepped, "the values it missed were jumped over: versions grew by "
                    + "up to " + jumped + " from one frame to the next, against " + stepped + " for the one that read");
            assertVersionsOnlyGrow(caughtUp, ids);
            assertVersionsOnlyGrow(keptUp, ids);
            JsonNode last = caughtUp.get(caughtUp.size() - 1);
            assertEquals(ids.size(), aboutIds(last, ids).size(),
                    "its catch-up frame holds every product that changed while it was stalled");
        } finally {
            client.close();
        }
    }

    /**
     * Every frame is encoded once and its bytes shared by every watcher it goes to, while some of those writes are
     * still pending (watchers that read in fits and starts, frames of ~40 KB that the transport keeps by reference
     * rather than copying). Had a frame's bytes been reused or changed for a later tick, a pending write would carry
     * that tick's bytes: a frame that is not JSON, a product's value arriving twice, or an entry whose stock does not
     * belong to its version (each change here takes one unit, so stock + version is the same in every entry of a
     * product). 24 watchers over the server's event loops, 300 products changed every tick for 40 ticks.
     */
    @Test
    void aFrameSharedByWatchersIsNeverChangedAfterItIsShared() throws Exception {
        List<UUID> products = newProducts(300, 1_000_000);
        Set<String> ids = products.stream().map(UUID::toString).collect(Collectors.toSet());
        Map<UUID, Long> start = versions(products);
        WebSocketClient client = vertx.getDelegate().createWebSocketClient(new WebSocketClientOptions()
                .setReceiveBufferSize(4096).setMaxFrameSize(64 << 20).setMaxMessageSize(64 << 20));
        int watchers = 24;
        List<BlockingQueue<String>> received = new ArrayList<>();
        List<WebSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < watchers; i++) {
                BlockingQueue<String> frames = new LinkedBlockingQueue<>();
                WebSocket socket = client.connect(RestAssured.port, "localhost", "/ws/stock")
                        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
                socket.textMessageHandler(frames::add);
                received.add(frames);
                sockets.add(socket);
            }
            for (BlockingQueue<String> frames : received) {
                assertTrue(isSnapshot(read(poll(frames, WAIT))));
            }
            long fits = vertx.getDelegate().setPeriodic(150, id -> {
                for (int i = 0; i < watchers; i += 2) { // every other watcher reads in fits and starts
                    WebSocket socket = sockets.get(i);
                    if ((id + i) % 3 == 0) {
                        socket.resume();
                    } else {
                        socket.pause();
                    }
                }
            });
            for (int round = 0; round < 40; round++) {
                pool.preparedQuery(change("ANY($1)")).execute(Tuple.of(products.toArray(UUID[]::new)))
                        .await().indefinitely();
                products.forEach(live::stock);
                Thread.sleep(100);
            }
            vertx.getDelegate().cancelTimer(fits);
            sockets.forEach(WebSocket::resume);
            Map<UUID, Long> truth = versions(products);
            for (BlockingQueue<String> frames : received) {
                List<JsonNode> seen = untilNewest(timeout -> read(poll(frames, timeout)), truth);
                assertVersionsOnlyGrow(seen, ids);
                for (JsonNode frame : seen) {
                    for (JsonNode entry : aboutIds(frame, ids)) {
                        UUID product = UUID.fromString(entry.get("productId").asText());
                        long taken = entry.get("version").asLong() - start.get(product);
                        assertEquals(1_000_000 - taken, entry.get("availableStock").asLong(),
                                "an entry's stock belongs to its version: " + entry);
                    }
                }
            }
        } finally {
            client.close();
        }
    }

    /** One change of the stock of the product(s) matched, as a reserve makes it: a unit taken, the version bumped. */
    private static String change(Object products) {
        String match = products instanceof UUID id ? "= '" + id + "'" : "= " + products;
        return "UPDATE stock_stripes SET available_stock = available_stock - 1, changes = changes + 1, "
                + "updated_at = clock_timestamp() WHERE product_id " + match;
    }

    private List<UUID> newProducts(int count, int stock) {
        String run = SKU_PREFIX + UUID.randomUUID() + "-";
        List<UUID> ids = new ArrayList<>();
        for (Row row : pool.preparedQuery("""
                INSERT INTO products (sku, name, price_cents, total_stock)
                SELECT $1 || g, 'Fan-out ' || g, 100, $2 FROM generate_series(1, $3) g
                RETURNING id""").execute(Tuple.of(run, stock, count)).await().indefinitely()) {
            ids.add(row.getUUID("id"));
        }
        pool.preparedQuery("INSERT INTO stock_stripes (product_id, stripe, available_stock) "
                + "SELECT id, 0, total_stock FROM products WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(UUID[]::new))).await().indefinitely();
        ids.sort(null); // no order of their own; the tests give them one
        return ids;
    }

    private Map<UUID, Long> versions(List<UUID> products) {
        Map<UUID, Long> versions = new HashMap<>();
        for (Row row : pool.preparedQuery("SELECT product_id, stock_version FROM product_stock WHERE product_id = ANY($1)")
                .execute(Tuple.of(products.toArray(UUID[]::new))).await().indefinitely()) {
            versions.put(row.getUUID("product_id"), row.getLong("stock_version"));
        }
        return versions;
    }

    private interface Frames {
        JsonNode next(Duration timeout);
    }

    /** The frames until every product has arrived at its version in {@code truth}; fails after {@link #WAIT}. */
    private static List<JsonNode> untilNewest(Frames frames, Map<UUID, Long> truth) {
        Set<String> behind = truth.keySet().stream().map(UUID::toString).collect(Collectors.toCollection(HashSet::new));
        List<JsonNode> seen = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!behind.isEmpty()) {
            JsonNode frame = frames.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            seen.add(frame);
            for (JsonNode entry : frame.path("stock")) {
                String product = entry.get("productId").asText();
                if (behind.contains(product)
                        && entry.get("version").asLong() == truth.get(UUID.fromString(product))) {
                    behind.remove(product);
                }
            }
        }
        return seen;
    }

    /** Per frame each product at most once and in version order; across frames a product's version only grows. */
    private static void assertVersionsOnlyGrow(List<JsonNode> frames, Set<String> ids) {
        Map<String, Long> previous = new HashMap<>();
        for (JsonNode frame : frames) {
            assertTrue(isBatch(frame), "only batches after the snapshot: " + frame.path("type"));
            Set<String> inFrame = new HashSet<>();
            long lastVersion = Long.MIN_VALUE;
            for (JsonNode entry : aboutIds(frame, ids)) {
                String product = entry.get("productId").asText();
                long version = entry.get("version").asLong();
                assertTrue(inFrame.add(product), "a product twice in one frame");
                assertTrue(version >= lastVersion, "in version order");
                lastVersion = version;
                Long before = previous.put(product, version);
                assertTrue(before == null || version > before, "a version went back or repeated: " + before + " then " + version);
            }
        }
    }

    /** The most a product's version grew from one frame to the next. */
    private static long largestJump(List<JsonNode> frames, Set<String> ids) {
        Map<String, Long> previous = new HashMap<>();
        long largest = 0;
        for (JsonNode frame : frames) {
            for (JsonNode entry : aboutIds(frame, ids)) {
                Long before = previous.put(entry.get("productId").asText(), entry.get("version").asLong());
                if (before != null) {
                    largest = Math.max(largest, entry.get("version").asLong() - before);
                }
            }
        }
        return largest;
    }

    private static List<JsonNode> aboutThese(JsonNode frame, List<UUID> products) {
        return aboutIds(frame, products.stream().map(UUID::toString).collect(Collectors.toSet()));
    }

    private static List<JsonNode> aboutIds(JsonNode frame, Set<String> ids) {
        List<JsonNode> entries = new ArrayList<>();
        if (isBatch(frame)) {
            frame.get("stock").forEach(entry -> {
                if (ids.contains(entry.get("productId").asText())) {
                    entries.add(entry);
                }
            });
        }
        return entries;
    }

    private static <T> T poll(BlockingQueue<T> frames, Duration timeout) {
        try {
            T frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within " + timeout);
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON (" + text.length() + " chars): "
                    + text.substring(0, Math.min(text.length(), 300)), e);
        }
    }
}

package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.flashsale.system.Http.Reply;
import org.flashsale.system.Http.Shopper;

/**
 * inventory-service and expiry-worker as separate processes on one real database: holds made over HTTP expire
 * exactly once whatever the number of workers, a worker killed mid-drain loses nothing, and completes and cancels
 * racing the workers end each hold once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExpiryAcrossProcessesTest {

    private static final String ACTIVE = "SELECT count(*) FROM holds WHERE status = 'ACTIVE'";

    private Database database;
    private App inventory;
    private Http api;
    private final List<App> workers = new ArrayList<>();

    @BeforeAll
    void startSystem() throws Exception {
        database = new Database();
        Map<String, String> env = new HashMap<>(database.appEnvironment());
        env.put("FLASHSALE_HOLD_TTL", "1s");
        inventory = App.inventoryService("inventory-service", env);
        api = new Http(inventory.baseUrl());
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(App::close);
        workers.clear();
    }

    @AfterAll
    void stopSystem() throws Exception {
        inventory.close();
        database.close();
    }

    @Test
    void twoWorkerProcessesExpireTenThousandDueHoldsExactlyOnce() {
        List<UUID> products = products(20, 2_000);
        seedHolds(products, 500);
        assertEquals(10_000, database.count(ACTIVE));
        App.sleep(Duration.ofMillis(1_100));

        App a = worker("worker-a", 200);
        App b = worker("worker-b", 200);
        awaitNoActiveHolds();

        database.books().assertBalanced();
        products.forEach(p -> assertEquals(2_000, availableStock(p), "each unit came back exactly once"));
        double expiredByA = Metrics.value(a, "flashsale_expiry_holds_expired_total");
        double expiredByB = Metrics.value(b, "flashsale_expiry_holds_expired_total");
        assertEquals(10_000, expiredByA + expiredByB, "each hold expired by exactly one worker");
    }

    @Test
    void aWorkerKilledMidDrainLosesNothingAndTheNextDrainsTheBacklog() {
        List<UUID> products = products(10, 2_000);
        seedHolds(products, 500);
        App.sleep(Duration.ofMillis(1_100));

        App victim = worker("worker-killed", 5);
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(5, TimeUnit.MILLISECONDS)
                .until(() -> database.count(ACTIVE) < 5_000);
        victim.kill();
        long activeWhenKilled = database.count(ACTIVE);
        assertTrue(activeWhenKilled > 0, "killed in the middle of the drain");

        worker("worker-after", 500);
        awaitNoActiveHolds();

        database.books().assertBalanced();
        products.forEach(p -> assertEquals(2_000, availableStock(p)));
    }

    @Test
    void completesAndCancelsRacingTwoWorkersEndEachHoldOnce() {
        worker("worker-1", 500);
        worker("worker-2", 500);
        List<UUID> products = products(2, 1_000);
        Map<UUID, Shopper> holds = new HashMap<>();
        List<Shopper> shoppers = shoppers(300);
        for (UUID product : products) {
            List<Reply> replies = Http.inParallel(shoppers.size(), 32, i -> api.reserve(shoppers.get(i), product, 1));
            for (int i = 0; i < replies.size(); i++) {
                holds.put(UUID.fromString(replies.get(i).body().get("id").asText()), shoppers.get(i));
            }
        }

        List<Map.Entry<UUID, Shopper>> entries = new ArrayList<>(holds.entrySet());
        List<Reply> replies = Http.inParallel(entries.size(), 64, i -> api.postAsync(
                "/api/reservations/" + entries.get(i).getKey() + (i % 2 == 0 ? "/complete" : "/cancel"),
                entries.get(i).getValue().token(), ""));
        awaitNoActiveHolds();

        Map<Integer, Integer> byStatus = new HashMap<>();
        for (Reply reply : replies) {
            byStatus.merge(reply.status(), 1, Integer::sum);
            assertTrue(List.of(200, 409, 410).contains(reply.status()), () -> "unexpected " + reply);
        }
        long completed = database.count("SELECT count(*) FROM holds WHERE status = 'COMPLETED'");
        assertEquals(byStatus.getOrDefault(200, 0), (int) (completed
                + database.count("SELECT count(*) FROM holds WHERE status = 'CANCELLED'")), "each 200 is one end");
        database.books().assertBalanced();
    }

    private App worker(String name, int batchSize) {
        Map<String, String> env = new HashMap<>(database.appEnvironment());
        env.put("FLASHSALE_EXPIRY_BATCH_SIZE", Integer.toString(batchSize));
        App worker = App.expiryWorker(name, env);
        workers.add(worker);
        return worker;
    }

    private List<UUID> products(int count, int stock) {
        List<UUID> products = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            products.add(api.newProduct(stock));
        }
        return products;
    }

    private List<Shopper> shoppers(int count) {
        return Http.inParallel(count, 32, i -> CompletableFuture.supplyAsync(api::newShopper));
    }

    /** Every shopper holds 1–3 units of every product: shoppers × products holds, made over HTTP. */
    private void seedHolds(List<UUID> products, int shopperCount) {
        List<Shopper> shoppers = shoppers(shopperCount);
        for (UUID product : products) {
            List<Reply> replies = Http.inParallel(shoppers.size(), 32,
                    i -> api.reserve(shoppers.get(i), product, 1 + i % 3));
            replies.forEach(reply -> assertEquals(201, reply.status(), () -> "seeding failed: " + reply));
        }
    }

    private int availableStock(UUID product) {
        return api.get("/api/products/" + product).body().get("availableStock").asInt();
    }

    private void awaitNoActiveHolds() {
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> database.count(ACTIVE) == 0);
    }
}

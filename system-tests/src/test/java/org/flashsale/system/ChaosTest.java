package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.flashsale.system.Http.Reply;
import org.flashsale.system.Http.Shopper;
import org.flashsale.testsupport.Books;

/**
 * Chaos with an invariant check. Reserve/complete/cancel load from many shoppers against two inventory-service
 * instances while the expiry-worker is killed (kill -9) and restarted twice, one inventory-service instance is killed,
 * and PostgreSQL is restarted. Afterwards, for every product, total = available + active + completed exactly, no
 * stock is below zero, no hold stays ACTIVE past its expiry for longer than the poll interval, and every request that
 * got a 2xx is in the database. It prints what it did and what it found.
 */
class ChaosTest {

    private static final int VIRTUAL_USERS = 12;
    private static final int SHOPPERS = 240;
    private static final Duration HOLD_TTL = Duration.ofSeconds(3);
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    private final long startedAt = System.nanoTime();
    private final Map<UUID, String> promised = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();

    @Test
    void nothingIsLostOrCountedTwiceWhileProcessesDieAndTheDatabaseRestarts() throws Exception {
        try (Database database = new Database()) {
            Map<String, String> env = new HashMap<>(database.appEnvironment());
            env.put("FLASHSALE_HOLD_TTL", HOLD_TTL.toSeconds() + "s");
            env.put("FLASHSALE_EXPIRY_POLL_INTERVAL", POLL_INTERVAL.toSeconds() + "s");
            App first = App.inventoryService("chaos-inventory-1", env);
            App second = App.inventoryService("chaos-inventory-2", env);
            AtomicReference<App> worker = new AtomicReference<>(App.expiryWorker("chaos-worker-1", env));
            try {
                Http admin = new Http(first.baseUrl());
                List<UUID> products = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    products.add(admin.newProduct(2_500));
                }
                products.add(stripedProduct(admin, 5_000, 4));
                List<Shopper> shoppers = new ArrayList<>();
                for (int i = 0; i < SHOPPERS; i++) {
                    shoppers.add(admin.newShopper());
                }
                say("%d products (one striped over 4 rows), %d shoppers, %d virtual users, hold TTL %s",
                        products.size(), SHOPPERS, VIRTUAL_USERS, HOLD_TTL);

                List<Http> instances = List.of(new Http(first.baseUrl(), Duration.ofSeconds(10)),
                        new Http(second.baseUrl(), Duration.ofSeconds(10)));
                AtomicBoolean secondAlive = new AtomicBoolean(true);
                AtomicBoolean running = new AtomicBoolean(true);
                ExecutorService load = Executors.newFixedThreadPool(VIRTUAL_USERS);
                for (int user = 0; user < VIRTUAL_USERS; user++) {
                    List<Shopper> own = new ArrayList<>();
                    for (int i = user; i < SHOPPERS; i += VIRTUAL_USERS) {
                        own.add(shoppers.get(i));
                    }
                    load.submit(() -> shop(own, products, instances, secondAlive, running));
                }

                pause(Duration.ofSeconds(4));
                say("kill -9 expiry-worker");
                worker.get().kill();
                pause(Duration.ofSeconds(3));
                worker.set(App.expiryWorker("chaos-worker-2", env));
                say("expiry-worker restarted");
                pause(Duration.ofSeconds(3));
                say("kill -9 inventory-service #2 (load moves to #1)");
                secondAlive.set(false);
                second.kill();
                pause(Duration.ofSeconds(3));
                say("PostgreSQL stops");
                database.stop();
                pause(Duration.ofSeconds(3));
                database.restart();
                say("PostgreSQL is back");
                pause(Duration.ofSeconds(6));
                say("kill -9 expiry-worker again");
                worker.get().kill();
                pause(Duration.ofSeconds(2));
                worker.set(App.expiryWorker("chaos-worker-3", env));
                say("expiry-worker restarted");
                pause(Duration.ofSeconds(5));
                running.set(false);
                load.shutdown();
                assertTrue(load.awaitTermination(60, TimeUnit.SECONDS), "the load stopped");
                say("load stopped; outcomes: %s", outcomes);
                assertEquals(List.of(), outcomes.keySet().stream().filter(o -> o.endsWith(" 500")).toList(),
                        "an unreachable database is 503, never 500");

                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> overdueActiveHolds(database) == 0);
                say("no hold ACTIVE more than %s past its expiry", POLL_INTERVAL);
                check(database);
            } finally {
                worker.get().close();
                second.close();
                first.close();
            }
        }
    }

    /** One virtual user: reserve as one of its shoppers, then pay, release, or let the hold expire. */
    private void shop(List<Shopper> shoppers, List<UUID> products, List<Http> instances, AtomicBoolean secondAlive,
            AtomicBoolean running) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running.get()) {
            Http api = instances.get(secondAlive.get() ? random.nextInt(instances.size()) : 0);
            Shopper shopper = shoppers.get(random.nextInt(shoppers.size()));
            UUID product = products.get(random.nextInt(products.size()));
            Reply reserved = call("reserve", () -> api.reserve(shopper, product, 1 + random.nextInt(3)).join());
            if (reserved == null || reserved.status() / 100 != 2) {
                continue;
            }
            UUID hold = UUID.fromString(reserved.body().get("id").asText());
            promised.putIfAbsent(hold, "ACTIVE");
            int choice = random.nextInt(10);
            if (choice < 4) {
                Reply paid = call("complete", () -> api.post("/api/reservations/" + hold + "/complete", shopper.token(), ""));
                if (paid != null && paid.status() == 200) {
                    promised.put(hold, "COMPLETED");
                }
            } else if (choice < 7) {
                Reply released = call("cancel", () -> api.post("/api/reservations/" + hold + "/cancel", shopper.token(), ""));
                if (released != null && released.status() == 200) {
                    promised.put(hold, "CANCELLED");
                }
            }
        }
    }

    /** The reply, counted by operation and status; null (counted as "no reply") when the peer was unreachable. */
    private Reply call(String operation, Supplier<Reply> request) {
        try {
            Reply reply = request.get();
            outcomes.computeIfAbsent(operation + " " + reply.status(), k -> new LongAdder()).increment();
            return reply;
        } catch (RuntimeException e) {
            outcomes.computeIfAbsent(operation + " no reply", k -> new LongAdder()).increment();
            return null;
        }
    }

    private void check(Database database) {
        Books books = database.books();
        books.lines().forEach(b -> say("books %s: total %d = available %d + active %d + completed %d%s",
                b.productId(), b.total(), b.available(), b.active(), b.completed(),
                b.balanced() ? "" : "  <-- DOES NOT BALANCE"));
        books.assertBalanced();

        Map<UUID, String> stored = database.holdStatuses();
        List<String> broken = new ArrayList<>();
        promised.forEach((hold, status) -> {
            String actual = stored.get(hold);
            boolean kept = actual != null && ("ACTIVE".equals(status) || status.equals(actual));
            if (!kept) {
                broken.add(hold + ": answered " + status + ", stored " + actual);
            }
        });
        long completed = promised.values().stream().filter("COMPLETED"::equals).count();
        long cancelled = promised.values().stream().filter("CANCELLED"::equals).count();
        say("%d holds answered 2xx (%d paid, %d released); %d not as answered in the database", promised.size(),
                completed, cancelled, broken.size());
        assertEquals(List.of(), broken, "every 2xx is reflected in the database");
        assertTrue(promised.size() > 100, "the load did real work");
    }

    private static long overdueActiveHolds(Database database) {
        return database.count("SELECT count(*) FROM holds WHERE status = 'ACTIVE' AND expires_at < now() - interval '"
                + POLL_INTERVAL.toMillis() + " milliseconds'");
    }

    private static UUID stripedProduct(Http admin, int totalStock, int stripes) {
        Reply reply = admin.post("/api/admin/products", App.ADMIN_KEY, "{\"sku\":\"CHAOS-" + UUID.randomUUID()
                + "\",\"name\":\"Chaos striped\",\"priceCents\":1000,\"totalStock\":" + totalStock
                + ",\"stripes\":" + stripes + "}");
        assertEquals(201, reply.status(), () -> "striped product: " + reply);
        return UUID.fromString(reply.body().get("id").asText());
    }

    private static void pause(Duration duration) {
        App.sleep(duration);
    }

    private void say(String format, Object... args) {
        System.out.printf("chaos %5.1fs: %s%n", (System.nanoTime() - startedAt) / 1e9, String.format(format, args));
    }
}

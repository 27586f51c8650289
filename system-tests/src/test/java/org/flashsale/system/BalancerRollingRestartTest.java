package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import org.flashsale.system.Http.Shopper;
import org.flashsale.system.ShopLoad.Failure;
import org.flashsale.testsupport.Books;

/**
 * Three instances behind the real HAProxy (deploy/balancer.sh), 64 shoppers reserving, paying and releasing and 1,000
 * /ws/stock watchers, all through the balancer. A rolling restart (SIGTERM, wait, start again, one after another)
 * fails no request and every watcher ends showing the database's stock; then one instance killed (kill -9) fails only
 * what was in flight on it, and those succeed when sent again with their Idempotency-Key. Nothing is lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BalancerRollingRestartTest {

    private static final int INSTANCES = 3;
    private static final int VIRTUAL_USERS = 64;
    private static final int SHOPPERS = 256;
    private static final int WATCHERS = 1_000;
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The bound: watchers show the database's stock within 2 s of the end of the load. */
    private static final Duration WATCHERS_SETTLE = Duration.ofSeconds(2);

    private final long startedAt = System.nanoTime();
    private Database database;
    private Map<String, String> env;
    private final List<App> instances = new ArrayList<>();
    private Balancer balancer;
    private StockWatchers watchers;
    private Http api;
    private final List<UUID> products = new ArrayList<>();
    private final List<Shopper> shoppers = new ArrayList<>();

    @BeforeAll
    void startSystem() throws Exception {
        database = new Database();
        env = new HashMap<>(database.appEnvironment());
        env.putAll(behindTheBalancer());
        for (int i = 0; i < INSTANCES; i++) {
            instances.add(App.inventoryService("balanced-inventory-" + (i + 1), env));
        }
        // Every request of the test comes from 127.0.0.1: the balancer's per-address limits are out of the way here
        // (BalancerLimitsTest has them).
        balancer = Balancer.start(instances, Map.of("BALANCER_MAX_CONNECTIONS_PER_ADDRESS", "100000",
                "BALANCER_RESERVES_PER_ADDRESS", "100000000", "BALANCER_SHOPPERS_PER_ADDRESS", "100000"));
        api = new Http(balancer.baseUrl(), Duration.ofSeconds(20));
        Awaitility.await().atMost(WAIT).until(() -> api.get("/api/products").status() == 200);
        for (int i = 0; i < 3; i++) {
            products.add(api.newProduct(1_000_000));
        }
        for (int i = 0; i < SHOPPERS; i++) {
            shoppers.add(api.newShopper());
        }
        watchers = new StockWatchers(balancer.baseUrl(), WATCHERS);
        Awaitility.await().atMost(WAIT).until(() -> watchers.open() == WATCHERS);
        say("%d instances behind HAProxy on port %d, %d watchers, %d shoppers", INSTANCES, balancer.port, WATCHERS,
                SHOPPERS);
    }

    /** The apps trust X-Forwarded-For from the balancer (on 127.0.0.1) only. */
    static Map<String, String> behindTheBalancer() {
        return Map.of("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true",
                "QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED", "true",
                "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES", "127.0.0.1");
    }

    @AfterAll
    void stopSystem() throws Exception {
        if (watchers != null) {
            watchers.close();
        }
        if (balancer != null) {
            balancer.close();
        }
        instances.forEach(App::close);
        database.close();
    }

    @Test
    @Order(1)
    void aRollingRestartUnderLoadFailsNoRequestAndLosesNothing() throws Exception {
        ShopLoad load = new ShopLoad(api, products, shoppers, VIRTUAL_USERS);
        try {
            ShopLoad.pause(Duration.ofSeconds(3));
            for (int i = 0; i < INSTANCES; i++) {
                App old = instances.get(i);
                say("SIGTERM instance %d", i + 1);
                old.terminate();
                assertTrue(old.waitFor(Duration.ofSeconds(30)), "instance " + (i + 1) + " stopped");
                App fresh = App.inventoryService("balanced-inventory-" + (i + 1) + "-restarted", env, old.port,
                        old.managementPort);
                instances.set(i, fresh);
                Http management = new Http(fresh.managementUrl());
                Awaitility.await().atMost(WAIT).until(() -> management.get("/q/health/ready").status() == 200);
                say("instance %d started again and ready", i + 1);
                ShopLoad.pause(Duration.ofSeconds(3)); // the balancer takes it back (2 checks a second apart)
            }
        } finally {
            load.stop();
        }
        long end = System.nanoTime();
        say("load stopped; outcomes %s; watchers' stream endings %s, failed connects %s", load.outcomes(),
                watchers.endings(), watchers.failedConnects());

        assertEquals(List.of(), load.failures().stream().map(Failure::toString).toList(), "no request failed");
        assertWatchersShowTheDatabase(end);
        assertEquals(WATCHERS, watchers.closedWith(1001), "every watcher was sent away with 1001 at least once");
        assertEquals(Set.of("1001"), watchers.endings().keySet(), "streams ended only with 1001");
        assertNothingLost(load);
    }

    @Test
    @Order(2)
    void anInstanceKilledFailsOnlyWhatWasInFlightOnIt() throws Exception {
        ShopLoad load = new ShopLoad(api, products, shoppers, VIRTUAL_USERS);
        long killedAt;
        try {
            ShopLoad.pause(Duration.ofSeconds(3));
            say("kill -9 instance 2");
            killedAt = System.nanoTime();
            instances.get(1).kill();
            ShopLoad.pause(Duration.ofSeconds(6));
        } finally {
            load.stop();
        }
        long end = System.nanoTime();
        List<Failure> failures = load.failures();
        say("load stopped; outcomes %s; %d failed: %s", load.outcomes(), failures.size(), failures);

        // The balancer takes the instance out after two failed checks a second apart; a request it sends meanwhile is
        // refused at the connect and sent to another instance. Only requests already on the killed one fail: at most
        // one per virtual user, all at the kill.
        assertTrue(failures.size() <= VIRTUAL_USERS, "at most the requests in flight failed");
        for (Failure failure : failures) {
            double after = (failure.at() - killedAt) / 1e9;
            assertTrue(after >= 0 && after < 1.5, () -> failure + " failed " + after + " s after the kill");
        }
        assertEquals(List.of(), load.retryFailures().stream().map(Failure::toString).toList(),
                "each failed request succeeds when sent again (a reserve with its key)");
        assertWatchersShowTheDatabase(end);
        assertNothingLost(load);
    }

    private void assertWatchersShowTheDatabase(long end) {
        Awaitility.await().atMost(WAIT).until(() -> watchers.open() == WATCHERS);
        Books books = database.books();
        long deadline = end + WATCHERS_SETTLE.toNanos();
        while (true) {
            Map<UUID, Long> wrong = new HashMap<>();
            products.forEach(p -> {
                long count = watchers.notShowing(p, books.of(p).available());
                if (count > 0) {
                    wrong.put(p, count);
                }
            });
            if (wrong.isEmpty()) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, () -> "watchers not showing the database's stock "
                    + WATCHERS_SETTLE + " after the end, by product: " + wrong);
            ShopLoad.pause(Duration.ofMillis(50));
        }
        say("every watcher shows the database's stock %.1f s after the end", (System.nanoTime() - end) / 1e9);
    }

    private void assertNothingLost(ShopLoad load) {
        database.books().assertBalanced();
        Map<UUID, String> stored = database.holdStatuses();
        List<String> broken = new ArrayList<>();
        load.promised().forEach((hold, status) -> {
            String actual = stored.get(hold);
            if (actual == null || (!"ACTIVE".equals(status) && !status.equals(actual))) {
                broken.add(hold + ": answered " + status + ", stored " + actual);
            }
        });
        say("%d holds answered 2xx; %d not as answered in the database", load.promised().size(), broken.size());
        assertEquals(List.of(), broken, "every 2xx is in the database as answered");
        assertTrue(load.promised().size() > 200, "the load did real work");
    }

    private void say(String format, Object... args) {
        System.out.printf("balanced %6.1fs: %s%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt) / 1e3,
                String.format(format, args));
    }
}

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import org.flashsale.system.HaCluster.Node;
import org.flashsale.system.Http.Reply;
import org.flashsale.system.Http.Shopper;
import org.flashsale.testsupport.LiveClient;
import org.flashsale.testsupport.StockFrames;

/**
 * Both apps on the highly available database (ha/cluster.sh: Patroni, etcd, HAProxy), pointed at HAProxy's primary
 * port and nothing else, under reserve/complete/cancel load from 64 shoppers at once with 200 /ws/stock watchers,
 * through a planned switchover, the primary's postmaster killed, the primary's node lost, and the standby lost. After
 * each: every answer was a 2xx, a 409 of the domain or a 503 with Retry-After; writes resumed within the bound; every
 * hold answered 2xx is in the database as answered (RPO 0); the books balance; no reserve was applied twice; every
 * watcher's last value equals the database; no ERROR in either app's log; the old primary is a standby again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class HaFailoverTest {

    private static final int SHOPPERS_AT_ONCE = 64;
    private static final int WATCHERS = 200;
    private static final int PRODUCTS = 4;
    /** Patroni's ttl (ha/patroni.yml.in): how long a lost leader's key lives. */
    private static final Duration TTL = Duration.ofSeconds(20);
    private static final Duration STEADY = Duration.ofSeconds(3);
    /**
     * The one ERROR line that is not ours (README, Chaos): Vert.x's pool does not cancel its acquisition timer when
     * getting a connection failed, and the timer then fails an answered query again (vertx-sql-client issue 1706,
     * open upstream). Each such query was already answered 503.
     */
    private static final String UPSTREAM_POOL_TIMER_WART =
            "Uncaught exception received by Vert.x: java.lang.IllegalStateException: Result is already complete";

    private final long startedAt = System.nanoTime();
    private HaCluster cluster;
    private Database database;
    private App inventory;
    private App worker;
    private Http admin;
    private final List<UUID> products = new ArrayList<>();
    private final List<Watcher> watchers = new ArrayList<>();

    /** Every hold answered 2xx, with the state it was last answered with. */
    private final Map<UUID, String> ledger = new ConcurrentHashMap<>();
    /** Holds whose complete or cancel got no definite answer: either state is right. */
    private final Set<UUID> uncertain = ConcurrentHashMap.newKeySet();
    /** The quantity each shopper asked for; every shopper reserves once, so no hold may hold more. */
    private final Map<UUID, Integer> asked = new ConcurrentHashMap<>();

    @BeforeAll
    void startTheShopOnTheCluster() throws Exception {
        cluster = HaCluster.start();
        say("cluster up on HA_PORT %d: %s", cluster.port, cluster.status());
        database = Database.at(cluster.jdbcUrl());
        Map<String, String> env = new HashMap<>(Database.appEnvironment(cluster.datasourceEnvironment()));
        env.put("FLASHSALE_HOLD_TTL", "30M"); // holds end by their shopper's answer only: the ledger says how
        inventory = App.inventoryService("ha-inventory", env);
        worker = App.expiryWorker("ha-worker", env);
        admin = new Http(inventory.baseUrl());
        for (int i = 0; i < PRODUCTS; i++) {
            products.add(admin.newProduct(100_000));
        }
        for (int i = 0; i < WATCHERS; i++) {
            watchers.add(new Watcher(LiveClient.stock(inventory.port)));
        }
    }

    @AfterAll
    void stopEverything() {
        watchers.forEach(w -> w.client.close());
        if (worker != null) {
            worker.close();
        }
        if (inventory != null) {
            inventory.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aPlannedSwitchoverLosesNothingAndWritesResumeWithinFiveSeconds() {
        Node primary = cluster.withRole("leader");
        Outage outage = underLoad(() -> say("switchover: %s", cluster.switchover().lines()
                .filter(l -> l.contains("witched")).findFirst().orElse("")));
        assertWritesResumedWithin(outage, Duration.ofSeconds(5));
        checkAfterwards(primary);
    }

    @Test
    @Order(2)
    void thePrimarysPostmasterKilledLosesNothingAndWritesResumeWithinTenSeconds() {
        Node primary = cluster.withRole("leader");
        Outage outage = underLoad(() -> {
            say("kill -9 postmaster %d of %s (Patroni alive)", primary.postgresPid(), primary.name());
            HaCluster.kill9(primary.postgresPid());
        });
        assertWritesResumedWithin(outage, Duration.ofSeconds(10));
        checkAfterwards(primary);
    }

    @Test
    @Order(3)
    void thePrimarysNodeLostLosesNothingAndWritesResumeWithinTtlPlusTenSeconds() {
        Node primary = cluster.withRole("leader");
        Outage outage = underLoad(() -> {
            say("kill -9 Patroni %d and postmaster %d of %s", primary.patroniPid(), primary.postgresPid(),
                    primary.name());
            HaCluster.kill9(primary.patroniPid());
            HaCluster.kill9(primary.postgresPid());
        });
        assertWritesResumedWithin(outage, TTL.plus(Duration.ofSeconds(10)));
        assertTrue(outage.readinessWentDown(), "inventory-service's readiness was DOWN while no primary answered");
        // The lost node comes back (its machine restarted): its Patroni starts, and it must rejoin by itself.
        cluster.startMissing();
        checkAfterwards(primary);
    }

    /**
     * synchronous_mode without strict: when the standby is gone, Patroni takes it out of synchronous_standby_names and
     * the primary commits alone (without the synchronous guarantee) until the standby is back and caught up.
     */
    @Test
    @Order(4)
    void aLostStandbyLeavesThePrimaryTakingReservesAndCatchesUpWhenItReturns() {
        Node primary = cluster.withRole("leader");
        Node standby = cluster.withRole("sync_standby");
        Outage outage = underLoad(() -> {
            say("kill -9 Patroni %d and postmaster %d of standby %s", standby.patroniPid(), standby.postgresPid(),
                    standby.name());
            HaCluster.kill9(standby.patroniPid());
            HaCluster.kill9(standby.postgresPid());
        });
        assertWritesResumedWithin(outage, Duration.ofSeconds(10));
        assertEquals(primary.name(), cluster.withRole("leader").name(), "the primary stayed the primary");
        cluster.startMissing();
        checkAfterwards(standby);
        long onPrimary = database.count("SELECT count(*) FROM holds");
        Database replica = Database.at("jdbc:postgresql://127.0.0.1:" + (cluster.port + 1) + "/flashsale");
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> replica.count("SELECT count(*) FROM holds") == onPrimary);
        say("the standby caught up: %d holds on both", onPrimary);
    }

    /** Runs the load, does the harm after a steady start, and keeps the load on until writes have resumed a while. */
    private Outage underLoad(Runnable harm) {
        Load load = new Load();
        load.start();
        AtomicBoolean probing = new AtomicBoolean(true);
        AtomicBoolean readinessWentDown = new AtomicBoolean();
        Http management = new Http(inventory.managementUrl(), Duration.ofSeconds(10));
        Thread readiness = new Thread(() -> {
            while (probing.get()) {
                try {
                    if (management.get("/q/health/ready").status() == 503) {
                        readinessWentDown.set(true);
                    }
                } catch (RuntimeException e) {
                    // no answer in time: not a verdict either way
                }
                App.sleep(Duration.ofMillis(250));
            }
        });
        readiness.start();
        long harmAt;
        try {
            App.sleep(STEADY);
            harmAt = System.nanoTime();
            harm.run();
            // Harm takes effect within a second (a switchover is over when patronictl returns): after 5 s, writes
            // that flow without a pause for 3 s are writes resumed.
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> secondsSince(harmAt) > 5 && load.steadyFor(Duration.ofSeconds(3)));
        } finally {
            probing.set(false);
            load.stop();
        }
        say("outcomes: %s; readiness went DOWN: %s", load.outcomes, readinessWentDown.get());
        assertEquals(List.of(), List.copyOf(load.wrongAnswers), "only 2xx, domain 409 or 503 with Retry-After");
        return new Outage(load.longestGapAfter(harmAt), readinessWentDown.get());
    }

    private record Outage(double secondsWithoutWrites, boolean readinessWentDown) {
    }

    private void assertWritesResumedWithin(Outage outage, Duration bound) {
        say("seconds without writes: %.2f (bound %s)", outage.secondsWithoutWrites(), bound);
        assertTrue(outage.secondsWithoutWrites() <= bound.toMillis() / 1000.0,
                "writes resumed within " + bound + ": " + outage.secondsWithoutWrites() + " s");
    }

    /**
     * Point 4 of the issue, after each case. The cluster is whole again by itself: one leader and one synchronous
     * standby, both running; after a failover the old primary is that standby, after a crash restart in place (the
     * postmaster killed, Patroni kept the leader key) it is the leader again.
     */
    private void checkAfterwards(Node oldPrimary) {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            List<Node> nodes = cluster.status();
            return nodes.stream().filter(n -> n.postgresPid() > 0).map(Node::role).sorted().toList()
                    .equals(List.of("leader", "sync_standby"));
        });
        say("%s rejoined: %s", oldPrimary.name(), cluster.status());

        database.books().assertBalanced();
        Map<UUID, String> stored = database.holdStatuses();
        List<String> missing = new ArrayList<>();
        ledger.forEach((hold, state) -> {
            String actual = stored.get(hold);
            if (actual == null || !(actual.equals(state) || uncertain.contains(hold))) {
                missing.add(hold + ": answered " + state + ", stored " + actual);
            }
        });
        assertEquals(List.of(), missing, "every hold answered 2xx is in the database as answered");
        assertEquals(0, database.count(overAskedHolds()), "no reserve applied twice (a hold above what was asked)");
        say("%d holds answered 2xx, all stored as answered; books balance", ledger.size());

        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(this::everyWatcherSeesTheDatabase);
        List<String> errors = new ArrayList<>();
        for (App app : List.of(inventory, worker)) {
            app.logText().lines().filter(l -> l.contains(" ERROR ") && !l.endsWith(UPSTREAM_POOL_TIMER_WART))
                    .forEach(l -> errors.add(app.name + ": " + l));
        }
        assertEquals(List.of(), errors, "no ERROR in either app's log");
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> new Http(inventory.managementUrl()).get("/q/health/ready").status() == 200
                        && new Http(worker.baseUrl()).get("/q/health/ready").status() == 200);
    }

    /** Holds whose quantity is above what their shopper asked for: one per shopper, so one asked quantity each. */
    private String overAskedHolds() {
        StringBuilder values = new StringBuilder();
        asked.forEach((shopper, quantity) -> values.append(values.isEmpty() ? "" : ",")
                .append("('").append(shopper).append("'::uuid,").append(quantity).append(')'));
        return values.isEmpty() ? "SELECT 0"
                : "SELECT count(*) FROM holds h JOIN (VALUES " + values + ") AS a(shopper_id, quantity) "
                        + "ON a.shopper_id = h.shopper_id WHERE h.quantity <> a.quantity";
    }

    private boolean everyWatcherSeesTheDatabase() {
        Map<UUID, Integer> available = new HashMap<>();
        database.books().lines().forEach(b -> available.put(b.productId(), b.available()));
        return watchers.stream().allMatch(w -> {
            w.read();
            return products.stream().allMatch(p -> available.get(p).equals(w.available.get(p)));
        });
    }

    /** One /ws/stock watcher's newest value per product (by version: a snapshot or a batch entry). */
    private static final class Watcher {
        final LiveClient client;
        final Map<UUID, Integer> available = new HashMap<>();
        final Map<UUID, Long> versions = new HashMap<>();

        Watcher(LiveClient client) {
            this.client = client;
        }

        void read() {
            for (JsonNode message : client.drain()) {
                JsonNode entries = StockFrames.isSnapshot(message) ? message.path("products")
                        : StockFrames.isBatch(message) ? message.path("stock") : null;
                if (entries == null) {
                    continue;
                }
                for (JsonNode entry : entries) {
                    UUID product = UUID.fromString(entry.path("productId").asText());
                    long version = entry.path("version").asLong();
                    if (version >= versions.getOrDefault(product, Long.MIN_VALUE)) {
                        versions.put(product, version);
                        available.put(product, entry.path("availableStock").asInt());
                    }
                }
            }
        }
    }

    /** 64 shoppers at once, each a new shopper reserving once, then paying (40 %), cancelling (30 %) or neither. */
    private final class Load {
        final AtomicBoolean running = new AtomicBoolean(true);
        final ExecutorService threads = Executors.newFixedThreadPool(SHOPPERS_AT_ONCE);
        final Http api = new Http(inventory.baseUrl(), Duration.ofSeconds(30));
        final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> wrongAnswers = new ConcurrentLinkedQueue<>();
        /** When each answered reserve (a write) came back, in nanoTime. */
        final ConcurrentLinkedQueue<Long> writes = new ConcurrentLinkedQueue<>();

        void start() {
            for (int i = 0; i < SHOPPERS_AT_ONCE; i++) {
                threads.submit(this::shop);
            }
        }

        void stop() {
            running.set(false);
            threads.shutdown();
            try {
                assertTrue(threads.awaitTermination(60, TimeUnit.SECONDS), "the load stopped");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private void shop() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (running.get()) {
                Reply joined = call("shopper", () -> api.post("/api/shoppers", null, ""));
                if (joined == null || joined.status() != 201) {
                    App.sleep(Duration.ofMillis(50));
                    continue;
                }
                Shopper shopper = new Shopper(UUID.fromString(joined.body().get("shopperId").asText()),
                        joined.body().get("token").asText());
                int quantity = 1 + random.nextInt(3);
                asked.put(shopper.id(), quantity);
                Reply reserved = call("reserve",
                        () -> api.reserve(shopper, products.get(random.nextInt(PRODUCTS)), quantity).join());
                if (reserved == null || reserved.status() != 201) {
                    continue;
                }
                long now = System.nanoTime();
                writes.add(now);
                UUID hold = UUID.fromString(reserved.body().get("id").asText());
                ledger.put(hold, "ACTIVE");
                int choice = random.nextInt(10);
                String action = choice < 4 ? "complete" : choice < 7 ? "cancel" : null;
                if (action != null) {
                    Reply ended = call(action,
                            () -> api.post("/api/reservations/" + hold + "/" + action, shopper.token(), ""));
                    if (ended != null && ended.status() == 200) {
                        ledger.put(hold, action.equals("complete") ? "COMPLETED" : "CANCELLED");
                    } else if (ended == null || ended.status() == 503) {
                        uncertain.add(hold);
                    }
                }
            }
        }

        /** The reply, counted; a wrong kind of answer (or none) is noted for the assertion. */
        private Reply call(String operation, Supplier<Reply> request) {
            Reply reply;
            try {
                reply = request.get();
            } catch (RuntimeException e) {
                outcomes.computeIfAbsent(operation + " no reply", k -> new LongAdder()).increment();
                wrongAnswers.add(operation + ": no reply (" + e.getMessage() + ")");
                return null;
            }
            outcomes.computeIfAbsent(operation + " " + reply.status(), k -> new LongAdder()).increment();
            int status = reply.status();
            boolean right = status / 100 == 2 || status == 409
                    || status == 503 && reply.retryAfter() != null
                            && "DATABASE_UNAVAILABLE".equals(reply.body().path("code").asText());
            if (!right && wrongAnswers.size() < 20) {
                wrongAnswers.add(operation + ": " + status + " " + reply.body() + " Retry-After " + reply.retryAfter());
            }
            return reply;
        }

        /** The longest time without an answered write from {@code from} on (a gap straddling it counts from it). */
        double longestGapAfter(long from) {
            long[] times = sortedWrites();
            long longest = 0;
            for (int i = 1; i < times.length; i++) {
                if (times[i] > from) {
                    longest = Math.max(longest, times[i] - Math.max(times[i - 1], from));
                }
            }
            return longest / 1e9;
        }

        /** Whether writes came back at least every half second over the last {@code window}. */
        boolean steadyFor(Duration window) {
            long now = System.nanoTime();
            long previous = now - window.toNanos();
            for (long time : sortedWrites()) {
                if (time > previous) {
                    if (time - previous > gapThreshold()) {
                        return false;
                    }
                    previous = time;
                }
            }
            return now - previous <= gapThreshold();
        }

        private long gapThreshold() {
            return TimeUnit.MILLISECONDS.toNanos(500);
        }

        private long[] sortedWrites() {
            return writes.stream().mapToLong(Long::longValue).sorted().toArray();
        }
    }

    private static double secondsSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1e9;
    }

    private void say(String format, Object... args) {
        System.out.printf("ha %6.1fs: %s%n", (System.nanoTime() - startedAt) / 1e9, String.format(format, args));
    }
}

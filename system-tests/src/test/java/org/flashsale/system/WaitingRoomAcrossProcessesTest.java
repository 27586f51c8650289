package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
 * The waiting room across processes: two inventory-service instances and two expiry-workers (both keeping the
 * queues) on one database. 300 shoppers join a queued product of 40 units (maxPerShopper 1) through both
 * instances before its sale; the sale opens and 60 more join behind, through both; every shopper polls its place
 * through either instance and, once admitted, reserves and pays, cancels, lets the hold expire (3 s) or never
 * reserves (the admission lapses after 5 s), so units come back and admit the next in line. While admissions run, one
 * worker is killed (kill -9) and restarted and one instance is killed. An audit trigger the test installs records
 * every committed change of an entry's admission. At the sell-out: every shopper whose join was answered has exactly
 * one entry, the positions are a permutation 1..N with the early joiners (the draw) ahead of the late ones,
 * admissions went in position order and passed nobody over, no entry was admitted twice and no shopper holds twice,
 * and the books balance with every unit sold.
 */
class WaitingRoomAcrossProcessesTest {

    private static final int EARLY = 300;
    private static final int LATE = 60;
    private static final int UNITS = 40;
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration THINK = Duration.ofMillis(300);

    /** Every committed change of an entry's admission, recorded by the database itself (test instrumentation). */
    private static final String AUDIT = """
            CREATE TABLE test_admissions (product_id uuid, shopper_id uuid, from_state text, position integer,
                                          admitted_at timestamptz);
            CREATE FUNCTION test_record_admission() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO test_admissions VALUES (NEW.product_id, NEW.shopper_id, OLD.state, NEW.position,
                                                    NEW.admitted_at);
                RETURN NEW;
            END
            $$;
            CREATE TRIGGER test_admission_audit AFTER UPDATE ON queue_entries FOR EACH ROW
                WHEN (NEW.admitted_at IS DISTINCT FROM OLD.admitted_at
                      OR (NEW.state = 'ADMITTED' AND OLD.state <> 'ADMITTED'))
                EXECUTE FUNCTION test_record_admission();
            """;

    private final long startedAt = System.nanoTime();
    private final Set<UUID> joined = ConcurrentHashMap.newKeySet();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final AtomicBoolean secondAlive = new AtomicBoolean(true);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private List<Http> instances;
    private UUID product;

    @Test
    void admissionIsExactlyOnceAndInPositionOrderWhileWorkersAndInstancesAreKilled() throws Exception {
        try (Database database = new Database()) {
            Map<String, String> env = new HashMap<>(database.appEnvironment());
            env.put("FLASHSALE_HOLD_TTL", "3s");
            App first = App.inventoryService("queue-inventory-1", env); // migrates the schema before the others start
            database.execute(AUDIT);
            CompletableFuture<App> starting = CompletableFuture.supplyAsync(
                    () -> App.inventoryService("queue-inventory-2", env));
            CompletableFuture<App> startingA = CompletableFuture.supplyAsync(
                    () -> App.expiryWorker("queue-worker-a", env));
            CompletableFuture<App> startingB = CompletableFuture.supplyAsync(
                    () -> App.expiryWorker("queue-worker-b", env));
            App second = starting.join();
            AtomicReference<App> workerA = new AtomicReference<>(startingA.join());
            App workerB = startingB.join();
            ScheduledExecutorService crowd = Executors.newScheduledThreadPool(32);
            try {
                instances = List.of(new Http(first.baseUrl(), Duration.ofSeconds(5)),
                        new Http(second.baseUrl(), Duration.ofSeconds(5)));
                Http admin = new Http(first.baseUrl());
                product = queuedProduct(admin);
                List<Shopper> shoppers = Http.inParallel(EARLY + LATE, 16,
                        i -> CompletableFuture.supplyAsync(instances.get(i % 2)::newShopper));
                List<Reply> joins = Http.inParallel(EARLY, 32,
                        i -> instances.get(i % 2).postAsync(queuePath(), shoppers.get(i).token(), ""));
                for (int i = 0; i < EARLY; i++) {
                    assertEquals(201, joins.get(i).status(), joins.get(i).toString());
                    joined.add(shoppers.get(i).id());
                }
                say("%d shoppers joined through both instances; the sale opens", EARLY);

                Reply opened = admin.patch("/api/admin/products/" + product, App.ADMIN_KEY,
                        "{\"saleStartsAt\":\"" + Instant.now().truncatedTo(ChronoUnit.MILLIS) + "\"}");
                assertEquals(200, opened.status(), opened.toString());
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < EARLY + LATE; i++) {
                    Shopper shopper = shoppers.get(i);
                    int part = i % 10;
                    long delay = i < EARLY ? random.nextLong(POLL.toMillis()) : random.nextLong(4_000);
                    crowd.schedule(() -> step(crowd, shopper, part, !joined.contains(shopper.id())), delay,
                            TimeUnit.MILLISECONDS);
                }

                Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                        .until(() -> database.count("SELECT count(*) FROM queue_entries WHERE admitted_at IS NOT NULL") > 0);
                App.sleep(Duration.ofMillis(1_500));
                assertFalse(closed(database), "the queue still admits when the worker dies");
                say("kill -9 %s", workerA.get().name);
                workerA.get().kill();
                CompletableFuture<Void> restarted = CompletableFuture.runAsync(() -> {
                    workerA.set(App.expiryWorker("queue-worker-a2", env));
                    say("queue-worker-a restarted");
                });
                App.sleep(Duration.ofMillis(2_500));
                assertFalse(closed(database), "the queue still admits when the instance dies");
                say("kill -9 queue-inventory-2 (the crowd moves to #1)");
                secondAlive.set(false);
                second.kill();

                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> closed(database));
                running.set(false);
                restarted.join();
                crowd.shutdown();
                assertTrue(crowd.awaitTermination(30, TimeUnit.SECONDS), "the crowd stopped");
                say("sold out; outcomes: %s", new TreeMap<>(outcomes));
                check(database);
            } finally {
                crowd.shutdownNow();
                workerA.get().close();
                workerB.close();
                second.close();
                first.close();
            }
        }
    }

    /**
     * One shopper's next move: join (a late joiner, until an instance answers), poll, and once admitted reserve and
     * pay, cancel, walk away from the hold, or ignore the admission (part: 0 ignores, 1–2 cancel, 3–4 let the hold
     * expire, 5–9 pay). An unanswered request is tried again at the next poll, through whichever instance is up.
     */
    private void step(ScheduledExecutorService crowd, Shopper shopper, int part, boolean mustJoin) {
        if (!running.get()) {
            return;
        }
        Http api = instance();
        Runnable again = () -> crowd.schedule(() -> step(crowd, shopper, part, false), POLL.toMillis(),
                TimeUnit.MILLISECONDS);
        if (mustJoin) {
            Reply join = call("join", () -> api.post(queuePath(), shopper.token(), ""));
            if (join == null || join.status() >= 500) {
                crowd.schedule(() -> step(crowd, shopper, part, true), POLL.toMillis(), TimeUnit.MILLISECONDS);
            } else if (join.status() / 100 == 2) {
                joined.add(shopper.id());
                again.run();
            }
            return;
        }
        Reply ticket = call("poll", () -> api.get(queuePath() + "/me", shopper.token()));
        if (ticket == null || ticket.status() >= 500) {
            again.run();
            return;
        }
        String state = ticket.status() == 200 ? ticket.body().get("state").asText() : "HTTP " + ticket.status();
        count("poll " + state);
        if (state.equals("WAITING")) {
            again.run();
        } else if (state.equals("ADMITTED") && part > 0) {
            Reply hold = call("reserve", () -> api.reserve(shopper, product, 1).join());
            if (hold == null || hold.status() >= 500) {
                again.run(); // the next poll says whether the reserve was made (RESERVED) or not (still ADMITTED)
            } else if (hold.status() == 201 && (part <= 2 || part >= 5)) {
                String end = part <= 2 ? "/cancel" : "/complete";
                String path = "/api/reservations/" + hold.body().get("id").asText() + end;
                crowd.schedule(() -> call(end.substring(1), () -> instance().post(path, shopper.token(), "")),
                        THINK.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void check(Database database) {
        String entries = "FROM queue_entries WHERE product_id = '" + product + "'";
        Set<UUID> stored = database.ids("SELECT shopper_id " + entries);
        Set<UUID> lost = new HashSet<>(joined);
        lost.removeAll(stored);
        assertEquals(Set.of(), lost, "every answered join has its entry");
        long n = stored.size();
        say("%d entries (%d joins answered); %d admitted, %d lapsed, %d reserved, %d told SOLD_OUT", n, joined.size(),
                database.count("SELECT count(*) " + entries + " AND admitted_at IS NOT NULL"),
                database.count("SELECT count(*) " + entries + " AND state = 'LAPSED'"),
                database.count("SELECT count(*) " + entries + " AND state = 'RESERVED'"),
                database.count("SELECT count(*) " + entries + " AND state = 'SOLD_OUT'"));

        assertEquals(n, database.count("SELECT count(DISTINCT position) " + entries), "positions are distinct");
        assertEquals(n, database.count("SELECT max(position) " + entries), "positions have no gap");
        assertEquals(1, database.count("SELECT min(position) " + entries), "positions start at 1");
        assertEquals(EARLY, database.count("SELECT draw_entrants FROM product_queues WHERE product_id = '" + product + "'"),
                "the draw placed every early joiner");
        assertEquals(0, database.count("SELECT count(*) " + entries + " AND position > " + EARLY
                + " AND joined_at < (SELECT sale_starts_at FROM products WHERE id = product_id)"),
                "early joiners are ahead of late ones");

        assertEquals(0, database.count("""
                SELECT count(*) FROM (SELECT admitted_at, lag(admitted_at) OVER (ORDER BY position) AS ahead
                                      %s AND admitted_at IS NOT NULL) a
                WHERE admitted_at < ahead""".formatted(entries)), "admitted in position order");
        assertEquals(0, database.count("SELECT count(*) " + entries + " AND admitted_at IS NULL AND position < "
                + "(SELECT max(position) " + entries + " AND admitted_at IS NOT NULL)"), "nobody was passed over");

        long admitted = database.count("SELECT count(*) " + entries + " AND admitted_at IS NOT NULL");
        assertEquals(admitted, database.count("SELECT count(*) FROM test_admissions"), "one admission per admitted entry");
        assertEquals(0, database.count("SELECT count(*) FROM (SELECT shopper_id FROM test_admissions GROUP BY 1 "
                + "HAVING count(*) > 1) twice"), "nobody admitted twice");
        assertEquals(0, database.count("SELECT count(*) FROM test_admissions WHERE from_state <> 'WAITING'"),
                "only a waiting entry is admitted");
        assertTrue(admitted > UNITS, "returned units admitted the next in line: " + admitted + " admissions");

        String holds = "FROM holds WHERE product_id = '" + product + "'";
        assertEquals(0, database.count("SELECT count(*) FROM (SELECT shopper_id " + holds
                + " GROUP BY 1 HAVING count(*) > 1) twice"), "nobody holds twice");
        assertEquals(database.count("SELECT count(*) " + entries + " AND state = 'RESERVED'"),
                database.count("SELECT count(*) " + holds), "every hold used one admission");

        Books books = database.books();
        books.assertBalanced();
        assertEquals(UNITS, books.of(product).completed(), "every unit sold");
        assertEquals(List.of(), outcomes.keySet().stream().filter(o -> o.endsWith(" 500")).toList(), "no 500");
    }

    private UUID queuedProduct(Http admin) {
        Reply reply = admin.post("/api/admin/products", App.ADMIN_KEY, "{\"sku\":\"QUEUE-" + UUID.randomUUID()
                + "\",\"name\":\"Queued drop\",\"priceCents\":1000,\"totalStock\":" + UNITS
                + ",\"maxPerShopper\":1,\"queue\":true,\"admissionTtl\":\"PT5S\",\"saleStartsAt\":\""
                + Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS) + "\"}");
        assertEquals(201, reply.status(), reply.toString());
        return UUID.fromString(reply.body().get("id").asText());
    }

    /** Sold out for good: the keeper closed the queue. */
    private boolean closed(Database database) {
        return database.count("SELECT count(*) FROM product_queues WHERE product_id = '" + product
                + "' AND closed_at IS NOT NULL") == 1;
    }

    private Http instance() {
        return instances.get(secondAlive.get() && ThreadLocalRandom.current().nextBoolean() ? 1 : 0);
    }

    private String queuePath() {
        return "/api/products/" + product + "/queue";
    }

    /** The reply, counted by operation and status; null (counted as "no reply") when the peer was unreachable. */
    private Reply call(String operation, Supplier<Reply> request) {
        try {
            Reply reply = request.get();
            count(operation + " " + reply.status());
            return reply;
        } catch (RuntimeException e) {
            count(operation + " no reply");
            return null;
        }
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    }

    private void say(String format, Object... args) {
        System.out.printf("queue %5.1fs: %s%n", (System.nanoTime() - startedAt) / 1e9, String.format(format, args));
    }
}

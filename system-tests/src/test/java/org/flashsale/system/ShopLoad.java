package org.flashsale.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

import org.flashsale.system.Http.Reply;
import org.flashsale.system.Http.Shopper;

/**
 * Shoppers reserving (each reserve with its own Idempotency-Key), paying and releasing through one address, one
 * virtual user per thread, each with its own shoppers. Remembers every hold answered 2xx and how it was left, and
 * every request that failed: no answer, or a 5xx (a domain 409 is an answer).
 */
final class ShopLoad implements AutoCloseable {

    /** A request that failed, when (nanoTime), and how to send it again as it was. */
    record Failure(String operation, String outcome, long at, Supplier<Reply> again) {
    }

    private final Http api;
    private final List<UUID> products;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService users;
    private final Map<UUID, String> promised = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();

    ShopLoad(Http api, List<UUID> products, List<Shopper> shoppers, int virtualUsers) {
        this.api = api;
        this.products = products;
        this.users = Executors.newFixedThreadPool(virtualUsers);
        for (int user = 0; user < virtualUsers; user++) {
            List<Shopper> own = new ArrayList<>();
            for (int i = user; i < shoppers.size(); i += virtualUsers) {
                own.add(shoppers.get(i));
            }
            users.submit(() -> shop(own));
        }
    }

    /** Stops the users after their current request and waits for them. */
    void stop() throws InterruptedException {
        running.set(false);
        users.shutdown();
        if (!users.awaitTermination(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the load did not stop");
        }
    }

    Map<UUID, String> promised() {
        return promised;
    }

    Map<String, Long> outcomes() {
        Map<String, Long> counts = new ConcurrentHashMap<>();
        outcomes.forEach((k, v) -> counts.put(k, v.sum()));
        return counts;
    }

    List<Failure> failures() {
        return List.copyOf(failures);
    }

    /** Sends every failed request once more, as its client would (a reserve with its key); what still failed. */
    List<Failure> retryFailures() {
        List<Failure> still = new ArrayList<>();
        for (Failure failure : failures) {
            if (call(failure.operation() + " retried", failure.again()) == null) {
                still.add(failure);
            }
        }
        return still;
    }

    @Override
    public void close() throws InterruptedException {
        if (running.get()) {
            stop();
        }
    }

    private void shop(List<Shopper> shoppers) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running.get()) {
            Shopper shopper = shoppers.get(random.nextInt(shoppers.size()));
            UUID product = products.get(random.nextInt(products.size()));
            String key = UUID.randomUUID().toString();
            int quantity = 1 + random.nextInt(3);
            if (call("reserve", () -> api.reserve(shopper, product, quantity, key).join()) == null) {
                continue;
            }
            int choice = random.nextInt(10);
            if (choice < 4) {
                finish(shopper, "complete", "COMPLETED");
            } else if (choice < 7) {
                finish(shopper, "cancel", "CANCELLED");
            }
        }
    }

    /** Pays or releases the shopper's newest active hold (the reserve may have merged into it). */
    private void finish(Shopper shopper, String action, String status) {
        Reply active = call("list", () -> api.get("/api/reservations?status=ACTIVE&size=1", shopper.token()));
        if (active == null || active.body().path("items").isEmpty()) {
            return;
        }
        UUID hold = UUID.fromString(active.body().path("items").get(0).get("id").asText());
        call(action, () -> api.post("/api/reservations/" + hold + "/" + action, shopper.token(), ""));
    }

    /** The reply when it is an answer (2xx or 4xx), null when it failed; remembers the holds answered 2xx. */
    private Reply call(String operation, Supplier<Reply> request) {
        Reply reply;
        try {
            reply = request.get();
        } catch (RuntimeException e) {
            count(operation, "no reply");
            failures.add(new Failure(operation, "no reply: " + e.getMessage(), System.nanoTime(), request));
            return null;
        }
        count(operation, Integer.toString(reply.status()));
        if (reply.status() >= 500) {
            failures.add(new Failure(operation, reply.status() + " " + reply.body(), System.nanoTime(), request));
            return null;
        }
        if (reply.status() / 100 == 2 && reply.body() != null && reply.body().has("status")) {
            UUID hold = UUID.fromString(reply.body().get("id").asText());
            String status = reply.body().get("status").asText();
            promised.merge(hold, status, (before, now) -> "ACTIVE".equals(now) ? before : now);
        }
        return reply;
    }

    private void count(String operation, String outcome) {
        outcomes.computeIfAbsent(operation + " " + outcome, k -> new LongAdder()).increment();
    }

    static void pause(Duration duration) {
        App.sleep(duration);
    }
}

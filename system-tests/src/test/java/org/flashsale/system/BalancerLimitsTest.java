package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.flashsale.system.Http.Reply;
import org.flashsale.system.Http.Shopper;

/**
 * The limits hold across instances: a client address over its reserve limit is refused by the balancer (its stick
 * table counts the address's requests to every instance), and one shopper's reserves all land on one instance, whose
 * per-shopper bucket limits them exactly as a single instance would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BalancerLimitsTest {

    private static final int INSTANCES = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private Database database;
    private final List<App> instances = new ArrayList<>();

    @BeforeAll
    void startInstances() throws Exception {
        database = new Database();
        Map<String, String> env = new HashMap<>(database.appEnvironment());
        env.putAll(BalancerRollingRestartTest.behindTheBalancer());
        // The apps' own limits: per shopper 5 reserves (0.1 a second, a bucket of 50 seconds' worth); per address
        // high, so a 429 from them is the shopper's.
        env.put("FLASHSALE_RATE_LIMIT_ENABLED", "true");
        env.put("FLASHSALE_RATE_LIMIT_RESERVE_PER_SHOPPER", "0.1");
        env.put("FLASHSALE_RATE_LIMIT_BURST_SECONDS", "50");
        env.put("FLASHSALE_RATE_LIMIT_RESERVE_PER_ADDRESS", "1000");
        env.put("FLASHSALE_RATE_LIMIT_SHOPPERS_PER_ADDRESS", "1000");
        for (int i = 0; i < INSTANCES; i++) {
            instances.add(App.inventoryService("limits-inventory-" + (i + 1), env));
        }
    }

    @AfterAll
    void stopInstances() throws Exception {
        instances.forEach(App::close);
        database.close();
    }

    @Test
    void anAddressOverItsReserveLimitIsRefusedByTheBalancerWhicheverInstanceWouldServeIt() throws Exception {
        try (Balancer balancer = Balancer.start(instances, Map.of("BALANCER_RESERVES_PER_ADDRESS", "20",
                "BALANCER_SHOPPERS_PER_ADDRESS", "1000"))) {
            Http api = ready(balancer);
            UUID product = api.newProduct(1_000);
            List<Shopper> shoppers = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                shoppers.add(api.newShopper());
            }
            List<Double> before = reservesSeen();

            List<Integer> statuses = new ArrayList<>();
            for (Shopper shopper : shoppers) {
                Reply reply = api.reserve(shopper, product, 1).join();
                statuses.add(reply.status());
                if (reply.status() == 429) {
                    assertEquals("RATE_LIMITED", reply.body().get("code").asText());
                    assertEquals(5, reply.body().get("retryAfterSeconds").asInt());
                }
            }

            assertEquals(20, statuses.stream().filter(s -> s == 201).count(), statuses::toString);
            assertEquals(List.of(429, 429, 429, 429, 429, 429, 429, 429, 429, 429), statuses.subList(20, 30));
            List<Double> seen = difference(reservesSeen(), before);
            assertEquals(20.0, seen.stream().mapToDouble(Double::doubleValue).sum(),
                    "the refused reserves reached no instance: " + seen);
            assertTrue(seen.stream().filter(count -> count > 0).count() >= 2,
                    "the shoppers' reserves went to several instances: " + seen);
        }
    }

    @Test
    void oneShoppersReservesLandOnOneInstanceAndAreLimitedAsThereWereOne() throws Exception {
        try (Balancer balancer = Balancer.start(instances, Map.of("BALANCER_RESERVES_PER_ADDRESS", "100000",
                "BALANCER_SHOPPERS_PER_ADDRESS", "1000"))) {
            Http api = ready(balancer);
            UUID product = api.newProduct(1_000);
            Shopper shopper = api.newShopper();
            List<Double> before = reservesSeen();

            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                statuses.add(api.reserve(shopper, product, 1).join().status());
            }

            assertEquals(List.of(201, 200, 200, 200, 200, 429, 429, 429, 429, 429, 429, 429), statuses,
                    "5 reserves (the shopper's bucket), then 429");
            List<Double> seen = difference(reservesSeen(), before);
            assertEquals(1, seen.stream().filter(count -> count > 0).count(), "one instance served them: " + seen);
            assertEquals(12.0, seen.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), seen::toString);
        }
    }

    private static Http ready(Balancer balancer) {
        Http api = new Http(balancer.baseUrl());
        Awaitility.await().atMost(WAIT).until(() -> api.get("/api/products").status() == 200);
        return api;
    }

    /** POST /api/reservations answered by each instance so far (its http_server_requests metrics, any status). */
    private List<Double> reservesSeen() {
        return instances.stream().map(app -> {
            String page = new Http(app.managementUrl()).getText("/q/metrics");
            return page.lines().filter(line -> line.startsWith("http_server_requests_seconds_count{")
                    && line.contains("method=\"POST\"") && line.contains("uri=\"/api/reservations\""))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        }).toList();
    }

    private static List<Double> difference(List<Double> after, List<Double> before) {
        List<Double> difference = new ArrayList<>();
        for (int i = 0; i < after.size(); i++) {
            difference.add(after.get(i) - before.get(i));
        }
        return difference;
    }
}

package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.flashsale.system.Http.Reply;
import org.flashsale.system.Http.Shopper;

/**
 * SIGTERM to an instance holding reserves in its group commit and live streams: readiness turns DOWN at once while
 * the API still answers (Quarkus' pre-shutdown delay, for the balancer to take it out), then its streams are closed
 * with 1001, then every reserve it holds is answered before it exits (quarkus.shutdown.timeout), without an ERROR.
 */
class GracefulDrainTest {

    private static final int RESERVES = 200;
    private static final int WATCHERS = 20;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aStoppingInstanceAnswersEveryReserveItHoldsAndSendsItsWatchersAway() throws Exception {
        try (Database database = new Database()) {
            App app = App.inventoryService("drain-inventory", database.appEnvironment());
            StockWatchers watchers = null;
            try {
                Http api = new Http(app.baseUrl());
                Http management = new Http(app.managementUrl());
                UUID product = api.newProduct(RESERVES);
                List<Shopper> shoppers = new ArrayList<>();
                for (int i = 0; i < RESERVES; i++) {
                    shoppers.add(api.newShopper());
                }
                watchers = new StockWatchers(app.baseUrl(), WATCHERS);
                StockWatchers streams = watchers;
                Awaitility.await().atMost(WAIT).until(() -> streams.open() == WATCHERS);

                List<CompletableFuture<Reply>> reserves = new ArrayList<>();
                try (Connection lock = database.connect()) {
                    // The product's stock row locked: its reserves wait, one in the database, the rest in the lane.
                    lock.setAutoCommit(false);
                    try (Statement statement = lock.createStatement()) {
                        statement.execute("SELECT 1 FROM stock_stripes WHERE product_id = '" + product + "' FOR UPDATE");
                    }
                    shoppers.forEach(shopper -> reserves.add(api.reserve(shopper, product, 1)));
                    Awaitility.await().atMost(WAIT).until(
                            () -> Metrics.value(app, "flashsale_reserve_queue_length") == RESERVES - 1);

                    app.terminate();
                    Awaitility.await().atMost(WAIT).until(() -> management.get("/q/health/ready").status() == 503);
                    assertEquals(200, api.get("/api/products").status(), "not ready, but still serving");
                    Awaitility.await().atMost(WAIT).until(() -> streams.closedWith(1001) == WATCHERS);
                    assertTrue(app.process.isAlive(), "still waiting for the reserves it holds");

                    lock.commit();
                }
                for (CompletableFuture<Reply> reserve : reserves) {
                    assertEquals(201, reserve.join().status(), "every reserve held at SIGTERM is answered");
                }
                assertTrue(app.waitFor(WAIT), "the instance stopped");
                assertEquals(RESERVES, database.count("SELECT count(*) FROM holds WHERE product_id = '" + product + "'"));
                database.books().assertBalanced();
                String log = app.logText();
                assertTrue(log.contains("closed " + WATCHERS + " live streams with 1001"), log);
                assertFalse(log.contains(" ERROR "), () -> "no ERROR at shutdown:\n" + log);
                assertEquals(Map.of(), Map.copyOf(watchers.endings()).entrySet().stream()
                        .filter(e -> !e.getKey().equals("1001") && !e.getKey().equals("error"))
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                        "streams end with 1001 (or break once the server is gone)");
            } finally {
                if (watchers != null) {
                    watchers.close();
                }
                app.close();
            }
        }
    }
}

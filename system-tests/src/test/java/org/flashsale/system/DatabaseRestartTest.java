package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.flashsale.system.Http.Shopper;
import org.flashsale.testsupport.LiveClient;

/** Both apps lose their database, get it back, and carry on by themselves. */
class DatabaseRestartTest {

    @Test
    void bothAppsReconnectAfterTheDatabaseRestarts() throws Exception {
        try (Database database = new Database()) {
            Map<String, String> env = new HashMap<>(database.appEnvironment());
            env.put("FLASHSALE_HOLD_TTL", "1s");
            try (App inventory = App.inventoryService("restart-inventory", env);
                    App worker = App.expiryWorker("restart-worker", env)) {
                Http api = new Http(inventory.baseUrl());
                UUID product = api.newProduct(10);
                Shopper shopper = api.newShopper();
                LiveClient watcher = LiveClient.stock(inventory.port);
                watcher.await(m -> "snapshot".equals(m.get("type").asText()), Duration.ofSeconds(15));

                database.stop();
                App.sleep(Duration.ofSeconds(3));
                database.restart();

                // The live listener reconnects by itself and resynchronises its watchers with a fresh snapshot.
                watcher.await(m -> "snapshot".equals(m.get("type").asText()), Duration.ofSeconds(60));

                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> api.reserve(shopper, product, 4).join().status() == 201);
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> database.count("SELECT count(*) FROM holds WHERE status = 'ACTIVE'") == 0);

                assertEquals(10, api.get("/api/products/" + product).body().get("availableStock").asInt(),
                        "the worker expired the hold after the restart");
                watcher.close();
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                        .until(() -> new Http(inventory.managementUrl()).get("/q/health/ready").status() == 200
                                && new Http(worker.baseUrl()).get("/q/health/ready").status() == 200);
            }
        }
    }
}

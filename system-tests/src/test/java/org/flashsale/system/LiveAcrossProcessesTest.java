package org.flashsale.system;

import static org.flashsale.testsupport.StockFrames.stockOf;
import static org.flashsale.testsupport.StockFrames.withStock;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.flashsale.system.Http.Shopper;
import org.flashsale.testsupport.LiveClient;

/** Changes made anywhere reach clients everywhere: two inventory-service instances and a worker on one database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveAcrossProcessesTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private Database database;
    private App first;
    private App second;
    private App worker;

    @BeforeAll
    void startSystem() throws Exception {
        database = new Database();
        Map<String, String> env = new HashMap<>(database.appEnvironment());
        env.put("FLASHSALE_HOLD_TTL", "2s");
        first = App.inventoryService("live-inventory-1", env);
        second = App.inventoryService("live-inventory-2", env);
        worker = App.expiryWorker("live-worker", env);
    }

    @AfterAll
    void stopSystem() throws Exception {
        worker.close();
        second.close();
        first.close();
        database.close();
    }

    @Test
    void aReserveOnOneInstanceReachesAWatcherOfTheOther() throws Exception {
        Http api = new Http(first.baseUrl());
        UUID product = api.newProduct(30);
        try (LiveClient watcher = LiveClient.stock(second.port)) {
            watcher.await(m -> "snapshot".equals(m.get("type").asText()), WAIT);

            assertEquals(201, api.reserve(api.newShopper(), product, 4).join().status());

            JsonNode batch = watcher.await(withStock(product, s -> s.get("availableStock").asInt() == 26), WAIT);
            JsonNode update = stockOf(batch, product);
            assertEquals(30, update.get("totalStock").asInt());
        }
    }

    @Test
    void anExpiryByTheWorkerReachesTheShopperAndEveryWatcher() throws Exception {
        Http api = new Http(first.baseUrl());
        UUID product = api.newProduct(10);
        Shopper shopper = api.newShopper();
        try (LiveClient watcher = LiveClient.stock(second.port); LiveClient mine = LiveClient.shopper(second.port, shopper.token())) {
            watcher.await(m -> "snapshot".equals(m.get("type").asText()), WAIT);
            String hold = api.reserve(shopper, product, 3).join().body().get("id").asText();
            watcher.await(withStock(product, s -> s.get("availableStock").asInt() == 7), WAIT);

            JsonNode expired = mine.await(m -> "EXPIRED".equals(m.get("status").asText()), WAIT);
            assertEquals(hold, expired.get("id").asText());
            assertEquals("EXPIRED", expired.get("change").asText());
            watcher.await(withStock(product, s -> s.get("availableStock").asInt() == 10), WAIT);
        }
    }
}

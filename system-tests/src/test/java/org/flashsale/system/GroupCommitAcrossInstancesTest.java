package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.flashsale.system.Http.Reply;
import org.flashsale.system.Http.Shopper;

/** Two inventory-service processes, each batching a product's reserves on its own, selling one product's stock. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupCommitAcrossInstancesTest {

    private Database database;
    private App first;
    private App second;

    @BeforeAll
    void startSystem() throws Exception {
        database = new Database();
        first = App.inventoryService("batch-inventory-1", database.appEnvironment());
        second = App.inventoryService("batch-inventory-2", database.appEnvironment());
    }

    @AfterAll
    void stopSystem() throws Exception {
        second.close();
        first.close();
        database.close();
    }

    @Test
    void twoInstancesBatchingTheSameProductSellExactlyItsStock() throws Exception {
        Http one = new Http(first.baseUrl());
        Http two = new Http(second.baseUrl());
        UUID product = one.newProduct(300);
        List<Shopper> shoppers = IntStream.range(0, 1000).mapToObj(i -> one.newShopper()).toList();

        List<Reply> replies = Http.inParallel(shoppers.size(), 400,
                i -> (i % 2 == 0 ? one : two).reserve(shoppers.get(i), product, 1));

        Map<Integer, Long> byStatus = replies.stream().collect(Collectors.groupingBy(Reply::status, Collectors.counting()));
        assertEquals(Map.of(201, 300L, 409, 700L), byStatus);
        database.books().assertBalanced();
        assertEquals(0, database.books().of(product).available());
        assertEquals(300, database.books().of(product).active());
        for (App instance : List.of(first, second)) {
            double statements = Metrics.value(instance, "flashsale_reserve_batch_size_count");
            double reserves = Metrics.value(instance, "flashsale_reserve_batch_size_sum");
            assertTrue(statements < reserves, instance.name + " batched: " + reserves + " reserves in " + statements);
        }
    }
}

package org.flashsale.inventory.rest;

import static org.flashsale.inventory.support.Api.availableStock;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.inventory.support.Stampede.Result;
import org.flashsale.inventory.support.Stampede;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.Holds;
import org.flashsale.testsupport.WithPostgres;

/** A product's queue is bounded: past flashsale.reserve.max-queue a reserve is refused at once, changing nothing. */
@QuarkusTest
@WithPostgres
@TestProfile(ReserveQueueLimitTest.ShortQueue.class)
class ReserveQueueLimitTest {

    public static class ShortQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("flashsale.reserve.max-queue", "3", "flashsale.reserve.max-batch", "2");
        }
    }

    @Inject
    Pool pool;

    @Test
    void reservesPastAFullQueueAre503OverloadedAndTakeNothing() {
        UUID product = newProduct(1000);
        List<Result> results;
        try (Stampede stampede = new Stampede()) {
            results = stampede.fire(IntStream.range(0, 300).mapToObj(i -> Stampede.reserve(newShopper(), product, 1))
                    .toList());
        }

        long held = results.stream().filter(r -> r.status() == 201).count();
        List<Result> refused = results.stream().filter(r -> r.status() != 201).toList();
        assertTrue(!refused.isEmpty(), "a queue of 3 overflowed under 300 concurrent reserves");
        assertTrue(refused.stream().allMatch(r -> r.status() == 503 && r.body().contains("\"code\":\"OVERLOADED\"")),
                () -> "refusals: " + refused.get(0));
        assertEquals(held, Holds.count(pool, product, "ACTIVE"));
        assertEquals(1000 - held, availableStock(product));
        Books.read(pool).assertBalanced();
    }
}

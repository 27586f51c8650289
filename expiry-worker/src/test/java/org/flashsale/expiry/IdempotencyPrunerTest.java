package org.flashsale.expiry;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.expiry.upkeep.IdempotencyPruner;
import org.flashsale.testsupport.WithPostgres;

@QuarkusTest
@WithPostgres(migrate = true)
class IdempotencyPrunerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;
    @Inject
    IdempotencyPruner pruner;

    @Test
    void deletesTheRecordsPastTheirRetentionInBatchesAndKeepsTheYoungerOnes() {
        // More old records than one batch holds, so the pruner has to go round; the default retention is 24 h.
        int old = 5_000 + 17;
        UUID shopper = pool.preparedQuery("""
                WITH s AS (INSERT INTO shoppers DEFAULT VALUES RETURNING id)
                INSERT INTO idempotency_records (shopper_id, idempotency_key, request_hash, created_at)
                SELECT s.id, k || '-' || i, 'hash', now() - age
                FROM s, (VALUES ('old', interval '25 hours', $1::integer), ('young', interval '23 hours', 3)) v(k, age, n),
                     generate_series(1, v.n) i
                RETURNING shopper_id
                """).execute(Tuple.of(old)).await().atMost(WAIT).iterator().next().getUUID(0);

        long deleted = pruner.run().await().atMost(WAIT);

        assertTrue(deleted >= old, "deleted " + deleted + " of " + old + " old records"); // (and any a database kept)
        assertEquals(List.of("young-1", "young-2", "young-3"), keys(shopper));
        assertEquals(0L, pruner.run().await().atMost(WAIT), "nothing left to prune");
        RestAssured.get("/q/metrics").then().body(containsString("flashsale_idempotency_pruned_total " + deleted + ".0"));
    }

    private List<String> keys(UUID shopper) {
        List<String> keys = new ArrayList<>();
        pool.preparedQuery("SELECT idempotency_key FROM idempotency_records WHERE shopper_id = $1 ORDER BY idempotency_key")
                .execute(Tuple.of(shopper)).await().atMost(WAIT).forEach(row -> keys.add(row.getString(0)));
        return keys;
    }
}

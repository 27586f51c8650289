package org.flashsale.inventory.rest;

import static org.flashsale.inventory.support.Api.as;
import static org.flashsale.inventory.support.Api.complete;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.reserveOk;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.LiveClient;
import org.flashsale.testsupport.WithPostgres;

/** Orders over HTTP: several holds paid as one, all or none, retried safely, read back; the books stay exact. */
@QuarkusTest
@WithPostgres
class OrderApiTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @AfterEach
    void booksBalanceAndEveryPaidHoldIsALine() {
        Books.read(pool).assertBalanced();
        assertEquals(count("SELECT count(*) FROM holds WHERE status = 'COMPLETED'"),
                count("SELECT count(*) FROM order_lines"), "every paid hold is the line of one order");
    }

    @Test
    void threeHoldsPaidAsOneOrderWithItsLinesAndTotals() {
        Shopper shopper = newShopper();
        UUID shoes = newProduct(10, 12900);
        UUID socks = newProduct(10, 500);
        UUID hat = newProduct(10, 2000);
        List<UUID> holds = List.of(reserveOk(shopper, shoes, 2), reserveOk(shopper, socks, 3), reserveOk(shopper, hat, 1));

        String id = order(shopper, holds, null).then().statusCode(201)
                .body("number", org.hamcrest.Matchers.greaterThanOrEqualTo(1001))
                .body("lines", hasSize(3)).body("totals", hasSize(1))
                .body("totals[0].currency", equalTo("USD")).body("totals[0].amountCents", equalTo(2 * 12900 + 3 * 500 + 2000))
                .body("lines.find { it.productId == '" + shoes + "' }.unitPriceCents", equalTo(12900))
                .body("lines.find { it.productId == '" + shoes + "' }.amountCents", equalTo(25800))
                .extract().path("id");
        for (UUID hold : holds) {
            as(shopper).get("/api/reservations/" + hold).then().statusCode(200).body("status", equalTo("COMPLETED"));
        }
        as(shopper).get("/api/orders/" + id).then().statusCode(200).body("lines", hasSize(3));
        as(shopper).get("/api/orders").then().statusCode(200).body("items[0].id", equalTo(id))
                .body("hasMore", equalTo(false));
        as(newShopper()).get("/api/orders/" + id).then().statusCode(404).body("code", equalTo("ORDER_NOT_FOUND"));
        as(shopper).get("/api/orders/" + UUID.randomUUID()).then().statusCode(404).body("code", equalTo("ORDER_NOT_FOUND"));
    }

    @Test
    void anOrderWithAHoldThatExpiredAMomentBeforeChargesNothingAndNamesIt() {
        Shopper shopper = newShopper();
        UUID product = newProduct(10);
        UUID first = reserveOk(shopper, product, 1);
        UUID expired = reserveOk(shopper, newProduct(10), 1);
        UUID third = reserveOk(shopper, newProduct(10), 1);
        runOut(expired);

        order(shopper, List.of(first, expired, third), null).then().statusCode(409)
                .body("code", equalTo("HOLD_NOT_ACTIVE")).body("holdId", equalTo(expired.toString()))
                .body("holdStatus", equalTo("EXPIRED"));
        for (UUID hold : List.of(first, third)) {
            as(shopper).get("/api/reservations/" + hold).then().statusCode(200).body("status", equalTo("ACTIVE"));
        }
        assertEquals(0, count("SELECT count(*) FROM orders o WHERE o.shopper_id = '" + shopper.id() + "'"));
    }

    @Test
    void anotherShoppersHoldIsNotFoundAndNothingIsCharged() {
        Shopper shopper = newShopper();
        UUID mine = reserveOk(shopper, newProduct(5), 1);
        UUID theirs = reserveOk(newShopper(), newProduct(5), 1);
        order(shopper, List.of(mine, theirs), null).then().statusCode(404).body("code", equalTo("HOLD_NOT_FOUND"))
                .body("holdId", equalTo(theirs.toString()));
        as(shopper).get("/api/reservations/" + mine).then().body("status", equalTo("ACTIVE"));
        order(shopper, List.of(), null).then().statusCode(400).body("code", equalTo("VALIDATION"));
    }

    @Test
    void aRetriedOrderIsOneOrderWithItsKeyOrWithoutAndAReusedKeyIsRefused() {
        Shopper shopper = newShopper();
        UUID product = newProduct(10);
        List<UUID> holds = List.of(reserveOk(shopper, product, 1), reserveOk(shopper, newProduct(10), 2));
        String key = "order-" + UUID.randomUUID();
        String id = order(shopper, holds, key).then().statusCode(201).extract().path("id");
        order(shopper, List.of(holds.get(1), holds.get(0)), key).then().statusCode(200).header("Idempotent-Replayed", "true")
                .body("id", equalTo(id));
        order(shopper, holds, null).then().statusCode(200).body("id", equalTo(id));
        order(shopper, List.of(holds.get(0)), key).then().statusCode(422).body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
        order(shopper, List.of(holds.get(0)), null).then().statusCode(409).body("code", equalTo("HOLD_NOT_ACTIVE"))
                .body("holdStatus", equalTo("COMPLETED"));
        assertEquals(1, count("SELECT count(*) FROM orders o WHERE o.shopper_id = '" + shopper.id() + "'"));
    }

    @Test
    void payingOneHoldMakesAnOrderOfOneAndPayingItAgainAnswersTheSame() {
        Shopper shopper = newShopper();
        UUID hold = reserveOk(shopper, newProduct(5, 700), 2);
        complete(shopper, hold).then().statusCode(200).body("status", equalTo("COMPLETED")).body("amountCents", equalTo(1400));
        complete(shopper, hold).then().statusCode(200).body("status", equalTo("COMPLETED"));
        as(shopper).get("/api/orders").then().statusCode(200).body("items", hasSize(1))
                .body("items[0].lines[0].holdId", equalTo(hold.toString()))
                .body("items[0].totals[0].amountCents", equalTo(1400));
    }

    @Test
    void anOrderRacingTheExpiryOfOneOfItsHoldsIsAllOrNone() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int attempt = 0; attempt < 30; attempt++) {
                Shopper shopper = newShopper();
                List<UUID> holds = List.of(reserveOk(shopper, newProduct(5), 1), reserveOk(shopper, newProduct(5), 1),
                        reserveOk(shopper, newProduct(5), 1));
                UUID racing = holds.get(attempt % 3);
                pool.preparedQuery("UPDATE holds SET expires_at = now() + interval '15 milliseconds' WHERE id = $1")
                        .execute(Tuple.of(racing)).await().atMost(WAIT);
                Callable<Integer> pay = () -> order(shopper, holds, null).statusCode();
                int delayMillis = attempt % 20;
                Callable<Integer> expire = () -> {
                    Thread.sleep(delayMillis);
                    pool.query("SELECT expire_due_holds(1000)").execute().await().atMost(WAIT);
                    return 0;
                };
                List<Future<Integer>> both = new ArrayList<>(List.of(threads.submit(pay), threads.submit(expire)));
                int status = both.get(0).get();
                both.get(1).get();
                long paid = count("SELECT count(*) FROM holds WHERE shopper_id = '" + shopper.id()
                        + "' AND status = 'COMPLETED'");
                assertTrue(status == 201 && paid == 3 || status == 409 && paid == 0,
                        "all or none: answered " + status + " with " + paid + " of 3 paid");
            }
        } finally {
            threads.shutdown();
        }
    }

    /**
     * Paying holds as one order announces each paid hold as completing one does (the paid holds read back in one
     * statement): a COMPLETED event each on the shopper's stream, with its own quantity. (The purchase feed the same
     * announcement feeds is lossy by design, the newest purchases of a tick, so it is not counted here.)
     */
    @Test
    void eachHoldAnOrderPaysIsAnnouncedOnTheShoppersStream() {
        Shopper shopper = newShopper();
        UUID shoes = newProduct(10, 12900);
        UUID socks = newProduct(10, 500);
        try (LiveClient mine = LiveClient.shopper(RestAssured.port, shopper.token())) {
            List<UUID> holds = List.of(reserveOk(shopper, shoes, 2), reserveOk(shopper, socks, 3));
            mine.until(holdEvents("CREATED", holds.size()), WAIT);

            order(shopper, holds, null).then().statusCode(201);

            Map<UUID, JsonNode> paid = new HashMap<>();
            for (JsonNode event : mine.until(holdEvents("COMPLETED", holds.size()), WAIT)) {
                if ("COMPLETED".equals(event.path("change").asText())) {
                    paid.put(UUID.fromString(event.path("id").asText()), event);
                }
            }
            assertEquals(Set.copyOf(holds), paid.keySet());
            assertEquals(2, paid.get(holds.get(0)).path("quantity").asInt());
            assertEquals(3, paid.get(holds.get(1)).path("quantity").asInt());
            paid.values().forEach(event -> assertEquals("COMPLETED", event.path("status").asText()));
        }
    }

    /** A predicate that matches once this many hold events of this change have been seen (it counts as it is asked). */
    private static Predicate<JsonNode> holdEvents(String change, int count) {
        int[] seen = {0};
        return event -> change.equals(event.path("change").asText()) && ++seen[0] == count;
    }

    private static Response order(Shopper shopper, List<UUID> holds, String key) {
        var request = as(shopper).contentType(ContentType.JSON)
                .body(Map.of("holdIds", holds.stream().map(UUID::toString).toList()));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/api/orders");
    }

    private void runOut(UUID hold) {
        pool.preparedQuery("UPDATE holds SET expires_at = now() - interval '1 second' WHERE id = $1")
                .execute(Tuple.of(hold)).await().atMost(WAIT);
    }

    private long count(String sql) {
        return pool.query(sql).execute().await().atMost(WAIT).iterator().next().getLong(0);
    }
}

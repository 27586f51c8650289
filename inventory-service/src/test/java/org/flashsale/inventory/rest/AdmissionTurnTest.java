package org.flashsale.inventory.rest;

import static org.flashsale.inventory.support.Api.admin;
import static org.flashsale.inventory.support.Api.as;
import static org.flashsale.inventory.support.Api.availableStock;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.reserve;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.inventory.support.Stampede.Result;
import org.flashsale.inventory.support.Stampede;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.WithPostgres;

/**
 * An admission is one turn: it grants up to flashsale.max-per-request units (10 here), or the product's maxPerShopper
 * if lower, in one or several reserves while the hold it made lasts. The reserve that would pass the grant is refused
 * LIMIT_EXCEEDED, so one admitted shopper cannot buy what the keeper admitted the others for. Through the group commit
 * here; AdmissionTurnBatchingOffTest runs the same with batching off.
 */
@QuarkusTest
@WithPostgres
class AdmissionTurnTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @AfterEach
    void booksBalance() {
        Books.read(pool).assertBalanced();
    }

    @Test
    void oneAdmissionCannotBuyTheStockTheOthersWereAdmittedFor() {
        UUID product = queuedProduct(20, null);
        List<Shopper> shoppers = IntStream.range(0, 20).mapToObj(i -> newShopper()).toList();
        shoppers.forEach(shopper -> join(shopper, product));
        openSaleAndAdmit(product);
        assertEquals(20L, count("SELECT count(*) FROM queue_entries WHERE product_id = $1 AND state = 'ADMITTED'",
                product), "20 admitted for 20 units");
        Shopper greedy = shoppers.get(0);

        reserve(greedy, product, 10).then().statusCode(201).body("quantity", equalTo(10));
        reserve(greedy, product, 10).then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("LIMIT_EXCEEDED")).body("remaining", equalTo(0));
        reserve(greedy, product, 1).then().statusCode(409).body("code", equalTo("LIMIT_EXCEEDED"));
        assertEquals(10, availableStock(product));

        Map<Integer, Long> byStatus = everyOneReservesOne(product, shoppers.subList(1, 20));
        assertEquals(Map.of(201, 10L, 409, 9L), byStatus, "the others buy what is left");
        assertEquals(0, availableStock(product));
        assertEquals(10L, count("SELECT quantity FROM holds WHERE product_id = $1 AND shopper_id = '"
                + greedy.id() + "'", product));
    }

    @Test
    void theGrantMayBeTakenInSeveralReservesWhileTheHoldLasts() {
        UUID product = queuedProduct(30, null);
        Shopper shopper = newShopper();
        join(shopper, product);
        openSaleAndAdmit(product);

        reserve(shopper, product, 4).then().statusCode(201);
        reserve(shopper, product, 7).then().statusCode(409).body("code", equalTo("LIMIT_EXCEEDED"))
                .body("remaining", equalTo(6));
        reserve(shopper, product, 6).then().statusCode(200).body("quantity", equalTo(10));
        reserve(shopper, product, 1).then().statusCode(409).body("remaining", equalTo(0));
        assertEquals(20, availableStock(product));
    }

    @Test
    void aLowerLimitPerShopperIsTheGrant() {
        UUID product = queuedProduct(30, 3);
        Shopper shopper = newShopper();
        join(shopper, product);
        openSaleAndAdmit(product);

        reserve(shopper, product, 4).then().statusCode(409).body("code", equalTo("LIMIT_EXCEEDED"))
                .body("remaining", equalTo(3));
        reserve(shopper, product, 2).then().statusCode(201);
        reserve(shopper, product, 2).then().statusCode(409).body("remaining", equalTo(1));
        reserve(shopper, product, 1).then().statusCode(200).body("quantity", equalTo(3));
    }

    private static Map<Integer, Long> everyOneReservesOne(UUID product, List<Shopper> shoppers) {
        List<Result> results;
        try (Stampede stampede = new Stampede()) {
            results = stampede.fire(shoppers.stream().map(s -> Stampede.reserve(s, product, 1)).toList());
        }
        results.stream().filter(r -> r.status() == 409)
                .forEach(r -> assertTrue(r.body().contains("\"OUT_OF_STOCK\""), r.body()));
        return results.stream().collect(Collectors.groupingBy(Result::status, Collectors.counting()));
    }

    private void openSaleAndAdmit(UUID product) {
        admin().contentType(ContentType.JSON)
                .body(Map.of("saleStartsAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString()))
                .patch("/api/admin/products/" + product).then().statusCode(200);
        pool.query("SELECT * FROM keep_queues(1.0, 1000)").execute().await().atMost(WAIT);
    }

    private static void join(Shopper shopper, UUID product) {
        as(shopper).post("/api/products/" + product + "/queue").then().statusCode(201);
    }

    private long count(String sql, UUID product) {
        return pool.preparedQuery(sql).execute(Tuple.of(product)).await().atMost(WAIT).iterator().next().getLong(0);
    }

    /** A queued product whose sale starts in an hour, so joiners wait for the draw. */
    private static UUID queuedProduct(int stock, Integer maxPerShopper) {
        String sku = "TURN-" + UUID.randomUUID();
        Map<String, Object> body = new HashMap<>(Map.of("sku", sku, "name", "Turn " + sku,
                "priceCents", 1000, "totalStock", stock, "queue", true,
                "saleStartsAt", Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString()));
        if (maxPerShopper != null) {
            body.put("maxPerShopper", maxPerShopper);
        }
        return UUID.fromString(admin().contentType(ContentType.JSON).body(body).post("/api/admin/products")
                .then().statusCode(201).extract().path("id"));
    }
}

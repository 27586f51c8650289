package org.flashsale.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.flashsale.inventory.support.Api.admin;
import static org.flashsale.inventory.support.Api.as;
import static org.flashsale.inventory.support.Api.complete;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.reserve;
import static org.flashsale.inventory.support.Api.reserveOk;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.inventory.security.ShopperTokens;
import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.DrawRecipe;
import org.flashsale.testsupport.WithPostgres;

/** The waiting room over HTTP: the admin's settings, join / me / leave, the public status, and the reserve guard. */
@QuarkusTest
@WithPostgres
class WaitingRoomTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    ShopperTokens tokens;

    @AfterEach
    void booksBalance() {
        Books.read(pool).assertBalanced();
    }

    @Test
    void theAdminSetsTheQueueAndItsOpeningMustComeBeforeTheSale() {
        Instant sale = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        UUID product = queued(5, sale, sale.minus(30, ChronoUnit.MINUTES), null);
        product(product).body("queue", equalTo(true)).body("admissionTtl", equalTo("PT1M"))
                .body("queueOpensAt", equalTo(sale.minus(30, ChronoUnit.MINUTES).toString()));

        patch(product, Map.of("queueOpensAt", sale.plusSeconds(1).toString())).statusCode(400)
                .body("code", equalTo("VALIDATION")).body("violations[0].field", equalTo("queueOpensAt"));
        patch(product, Map.of("admissionTtl", "PT90S")).statusCode(200).body("admissionTtl", equalTo("PT1M30S"));
        patch(product, Map.of("admissionTtl", 90)).statusCode(400).body("code", equalTo("VALIDATION"));
        patch(product, Map.of("admissionTtl", "PT1S")).statusCode(400).body("code", equalTo("VALIDATION"));
        patch(product, Map.of("queue", false)).statusCode(200).body("queue", equalTo(false));

        Map<String, Object> body = productBody(5);
        body.put("queue", true);
        body.put("queueOpensAt", sale.toString());
        admin().contentType(ContentType.JSON).body(body).post("/api/admin/products").then().statusCode(400)
                .body("code", equalTo("VALIDATION")).body("violations[0].field", equalTo("queueOpensAt"));
    }

    @Test
    void joiningIsIdempotentAndRefusedWhenThereIsNoQueueOrItHasNotOpened() {
        Instant sale = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Shopper shopper = newShopper();

        join(shopper, newProduct(5)).statusCode(409).body("code", equalTo("NOT_QUEUED"));
        Instant opens = sale.minus(10, ChronoUnit.MINUTES);
        join(shopper, queued(5, sale, opens, null)).statusCode(409).body("code", equalTo("QUEUE_NOT_OPEN"))
                .body("queueOpensAt", equalTo(opens.toString()));
        join(shopper, UUID.randomUUID()).statusCode(404).body("code", equalTo("PRODUCT_NOT_FOUND"));

        UUID product = queued(5, sale, null, null);
        String joinedAt = join(shopper, product).statusCode(201).body("state", equalTo("WAITING"))
                .body("position", nullValue()).extract().path("joinedAt");
        join(shopper, product).statusCode(200).body("joinedAt", equalTo(joinedAt));
        me(shopper, product).statusCode(200).body("state", equalTo("WAITING")).body("position", nullValue());
        assertEquals(1L, count("SELECT count(*) FROM queue_entries WHERE product_id = $1", product));

        given().get("/api/products/" + product + "/queue").then().statusCode(200).body("state", equalTo("OPEN"))
                .body("length", equalTo(1)).body("drawSeed", nullValue());

        as(shopper).delete("/api/products/" + product + "/queue/me").then().statusCode(204);
        me(shopper, product).statusCode(404).body("code", equalTo("NOT_IN_QUEUE"));
        as(shopper).delete("/api/products/" + product + "/queue/me").then().statusCode(204);
    }

    /** Joining, reserving and renewing the token tell a shopper this database does not know the one same thing. */
    @Test
    void aShopperTheDatabaseDoesNotKnowIsToldSoInOneSentenceWhereverTheyGo() {
        UUID unknown = UUID.randomUUID();
        Shopper stranger = new Shopper(unknown, tokens.issue(unknown));
        String sentence = "unknown shopper: create a new one with POST /api/shoppers";

        join(stranger, queued(5, Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS), null, null))
                .statusCode(401).body("code", equalTo("UNAUTHORIZED")).body("detail", equalTo(sentence));
        reserve(stranger, newProduct(5), 1).then().statusCode(401)
                .body("code", equalTo("UNAUTHORIZED")).body("detail", equalTo(sentence));
        as(stranger).post("/api/shoppers/me/token").then().statusCode(401)
                .body("code", equalTo("UNAUTHORIZED")).body("detail", equalTo(sentence));
    }

    @Test
    void onlyAdmittedShoppersReserveAndTheAdmissionIsUsedOnce() {
        Instant sale = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        UUID product = queued(2, sale, null, null);
        List<Shopper> shoppers = List.of(newShopper(), newShopper(), newShopper());
        shoppers.forEach(shopper -> join(shopper, product).statusCode(201));
        patch(product, Map.of("saleStartsAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString())).statusCode(200);

        reserve(shoppers.get(0), product, 1).then().statusCode(409).body("code", equalTo("NOT_ADMITTED"))
                .body("queueState", equalTo("WAITING")).body("$", not(hasKey("position")));
        keep();

        ValidatableResponse status = given().get("/api/products/" + product + "/queue").then().statusCode(200)
                .body("state", equalTo("ADMITTING")).body("drawSeed", notNullValue()).body("drawEntrants", equalTo(3))
                .body("admitted", equalTo(2)).body("length", equalTo(1));
        Shopper last = shoppers.stream().filter(s -> me(s, product).extract().path("state").equals("WAITING"))
                .findFirst().orElseThrow();
        me(last, product).body("position", equalTo(3)).body("ahead", equalTo(0));
        reserve(last, product, 1).then().statusCode(409).body("code", equalTo("NOT_ADMITTED"))
                .body("queueState", equalTo("WAITING")).body("position", equalTo(3));
        reserve(newShopper(), product, 1).then().statusCode(409).body("code", equalTo("NOT_ADMITTED"))
                .body("$", not(hasKey("queueState")));
        status.body("drawRecipe", notNullValue());

        Shopper admitted = shoppers.stream().filter(s -> s != last).findFirst().orElseThrow();
        me(admitted, product).body("state", equalTo("ADMITTED")).body("admissionExpiresAt", notNullValue());
        reserve(admitted, product, 1).then().statusCode(201);
        me(admitted, product).body("state", equalTo("RESERVED"));
        reserve(admitted, product, 1).then().statusCode(200); // adding to one's own hold stays allowed
        assertEquals(0L, count("SELECT sum(available_stock) FROM stock_stripes WHERE product_id = $1", product));
    }

    @Test
    void concurrentReservesOfOneAdmittedShopperUseTheAdmissionOnceAndMakeOneHoldWithinItsTurn() throws Exception {
        Instant sale = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        UUID product = queued(100, sale, null, null);
        Shopper shopper = newShopper();
        join(shopper, product).statusCode(201);
        patch(product, Map.of("saleStartsAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString())).statusCode(200);
        keep();
        me(shopper, product).body("state", equalTo("ADMITTED"));

        ExecutorService threads = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Integer>> requests = IntStream.range(0, 20)
                    .<Callable<Integer>>mapToObj(i -> () -> reserve(shopper, product, 1).statusCode()).toList();
            int served = 0;
            int pastTheTurn = 0;
            for (Future<Integer> answer : threads.invokeAll(requests)) {
                int status = answer.get();
                assertEquals(true, status == 200 || status == 201 || status == 409, "status " + status);
                served += status == 409 ? 0 : 1;
                pastTheTurn += status == 409 ? 1 : 0;
            }
            // The admission's turn grants flashsale.max-per-request units (10): the rest are LIMIT_EXCEEDED.
            assertEquals(10, served);
            assertEquals(10, pastTheTurn);
        } finally {
            threads.shutdown();
        }
        assertEquals(1L, count("SELECT count(*) FROM holds WHERE product_id = $1", product), "one hold");
        assertEquals(10L, count("SELECT sum(quantity) FROM holds WHERE product_id = $1", product));
        me(shopper, product).body("state", equalTo("RESERVED"));
    }

    /**
     * A join reads the queue open and inserts without locking it, so one whose statement began before the keeper's
     * close committed lands a WAITING entry in a queue already closed: the keeper's sweep tells it SOLD_OUT too.
     */
    @Test
    void aJoinRacingTheCloseIsToldSoldOutByTheNextRun() {
        Instant sale = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        UUID product = queued(1, sale, null, null);
        Shopper first = newShopper();
        join(first, product).statusCode(201);
        patch(product, Map.of("saleStartsAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString())).statusCode(200);
        keep();
        complete(first, reserveOk(first, product, 1)).then().statusCode(200);

        Shopper late = newShopper();
        SqlConnection keeper = pool.getConnection().await().atMost(WAIT);
        try {
            Transaction closing = keeper.begin().await().atMost(WAIT);
            keeper.query("SELECT * FROM keep_queues(1.0, 1000)").execute().await().atMost(WAIT);
            join(late, product).statusCode(201); // the close is not committed yet: the queue still reads open
            closing.commit().await().atMost(WAIT);
        } finally {
            keeper.close().await().atMost(WAIT);
        }
        given().get("/api/products/" + product + "/queue").then().statusCode(200).body("state", equalTo("CLOSED"));
        me(late, product).body("state", equalTo("WAITING"));
        join(newShopper(), product).statusCode(409).body("code", equalTo("QUEUE_CLOSED"));

        keep();

        me(late, product).body("state", equalTo("SOLD_OUT"));
        me(first, product).body("state", equalTo("RESERVED"));
    }

    /**
     * The published draw: every place's key in position order, paged; each entrant finds SHA-256(seed || own id) at
     * their own position, the keys ascend, a place given up after the draw keeps its key (the draw is published as it
     * was made), and later joiners are not in it.
     */
    @Test
    void theDrawIsPublishedPlaceByPlaceAndEachEntrantFindsTheirOwnKeyAtTheirPosition() {
        Instant sale = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        UUID product = queued(1, sale, null, null);
        List<Shopper> entrants = IntStream.range(0, 25).mapToObj(i -> newShopper()).toList();
        entrants.forEach(shopper -> join(shopper, product).statusCode(201));
        draw(product, 1, 10).body("drawSeed", nullValue()).body("places", hasSize(0)).body("next", nullValue());

        patch(product, Map.of("saleStartsAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString())).statusCode(200);
        keep();
        Shopper late = newShopper();
        join(late, product).statusCode(201);
        keep();
        Shopper leaver = entrants.stream().filter(s -> me(s, product).extract().path("state").equals("WAITING"))
                .findFirst().orElseThrow();
        as(leaver).delete("/api/products/" + product + "/queue/me").then().statusCode(204);

        String seed = given().get("/api/products/" + product + "/queue").then().statusCode(200)
                .extract().path("drawSeed");
        Map<Integer, String> keys = new LinkedHashMap<>();
        int pages = 0;
        for (Integer from = 1; from != null; pages++) {
            ValidatableResponse page = draw(product, from, 10).body("drawSeed", equalTo(seed))
                    .body("drawEntrants", equalTo(25));
            List<Map<String, Object>> places = page.extract().path("places");
            places.forEach(place -> keys.put((Integer) place.get("position"), (String) place.get("key")));
            from = page.extract().path("next");
        }
        assertEquals(3, pages, "25 places, 10 a page");
        assertEquals(25, keys.size(), "every place of the draw, the one given up since too");
        List<String> inOrder = List.copyOf(keys.values());
        assertEquals(inOrder.stream().sorted().toList(), inOrder, "the keys ascend with the positions");
        assertTrue(keys.containsValue(DrawRecipe.hexKey(seed, leaver.id())), "the leaver's key is still published");
        for (Shopper shopper : entrants.stream().filter(s -> s != leaver).toList()) {
            Integer position = me(shopper, product).extract().path("position");
            assertEquals(DrawRecipe.hexKey(seed, shopper.id()), keys.get(position), "the entrant's own key at their place");
        }
        Integer latePlace = me(late, product).extract().path("position");
        assertEquals(26, latePlace);
        draw(product, 26, 10).body("places", hasSize(0)).body("next", nullValue());

        draw(product, 0, 10).statusCode(400).body("code", equalTo("VALIDATION"));
        as(late).queryParam("limit", 1001).get("/api/products/" + product + "/queue/draw").then().statusCode(400)
                .body("code", equalTo("VALIDATION"));
        given().get("/api/products/" + UUID.randomUUID() + "/queue/draw").then().statusCode(404)
                .body("code", equalTo("PRODUCT_NOT_FOUND"));
    }

    private void keep() {
        pool.query("SELECT * FROM keep_queues(1.0, 1000)").execute().await().atMost(WAIT);
    }

    private long count(String sql, UUID product) {
        return pool.preparedQuery(sql).execute(Tuple.of(product)).await().atMost(WAIT).iterator().next().getLong(0);
    }

    private static ValidatableResponse product(UUID product) {
        return given().get("/api/products/" + product).then().statusCode(200);
    }

    private static ValidatableResponse join(Shopper shopper, UUID product) {
        return as(shopper).post("/api/products/" + product + "/queue").then();
    }

    private static ValidatableResponse draw(UUID product, int from, int limit) {
        return given().queryParam("from", from).queryParam("limit", limit)
                .get("/api/products/" + product + "/queue/draw").then();
    }

    private static ValidatableResponse me(Shopper shopper, UUID product) {
        return as(shopper).get("/api/products/" + product + "/queue/me").then();
    }

    private static ValidatableResponse patch(UUID product, Map<String, Object> fields) {
        return admin().contentType(ContentType.JSON).body(fields).patch("/api/admin/products/" + product).then();
    }

    private static Map<String, Object> productBody(int stock) {
        String sku = "QUEUE-" + UUID.randomUUID();
        Map<String, Object> body = new HashMap<>();
        body.put("sku", sku);
        body.put("name", "Queued " + sku);
        body.put("priceCents", 1000);
        body.put("totalStock", stock);
        return body;
    }

    /** A queued product: its sale starts at {@code sale}, its queue opens at {@code opens} (null: now). */
    private static UUID queued(int stock, Instant sale, Instant opens, String admissionTtl) {
        Map<String, Object> body = productBody(stock);
        body.put("queue", true);
        body.put("saleStartsAt", sale.toString());
        if (opens != null) {
            body.put("queueOpensAt", opens.toString());
        }
        if (admissionTtl != null) {
            body.put("admissionTtl", admissionTtl);
        }
        return UUID.fromString(admin().contentType(ContentType.JSON).body(body).post("/api/admin/products")
                .then().statusCode(201).extract().path("id"));
    }
}

package org.flashsale.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.flashsale.inventory.support.Api.admin;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Queues.admissionRunsOut;
import static org.flashsale.inventory.support.Queues.join;
import static org.flashsale.inventory.support.Queues.openSale;
import static org.flashsale.inventory.support.Queues.queuedProduct;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.WithPostgres;

/** The operator's controls over HTTP: pausing a waiting room's admissions, and the audit log of every change. */
@QuarkusTest
@WithPostgres
class OperatorConsoleApiTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String KEEP = "SELECT * FROM keep_queues(1.0, 1000)";

    @Inject
    Pool pool;

    @AfterEach
    void booksBalance() {
        Books.read(pool).assertBalanced();
    }

    @Test
    void whilePausedNobodyNewIsAdmittedAndOpenAdmissionsKeepTheirTime() {
        UUID product = queuedProduct(2);
        List<Shopper> shoppers = List.of(newShopper(), newShopper(), newShopper(), newShopper());
        shoppers.forEach(shopper -> join(shopper, product));
        openSale(product);
        keep();
        assertEquals(2, admittedEver(product));
        List<Object> deadlines = admissionDeadlines(product);

        queueControl(product, "pause").statusCode(200).body("paused", equalTo(true)).body("state", equalTo("ADMITTING"));
        given().get("/api/products/" + product + "/queue").then().statusCode(200).body("paused", equalTo(true));
        queueControl(product, "pause").statusCode(200).body("paused", equalTo(true));
        admin().get("/api/admin/dashboard").then().statusCode(200)
                .body("products.find { it.productId == '" + product + "' }.queue.paused", equalTo(true));
        Shopper admitted = shoppers.stream().filter(s -> state(product, s).equals("ADMITTED")).findFirst().orElseThrow();
        admissionRunsOut(pool, product, admitted);
        keep();
        keep();

        assertEquals("LAPSED", state(product, admitted), "the keeper still lapses admissions while paused");
        assertEquals(2, admittedEver(product), "nobody new is admitted while paused");
        List<Object> stillOpen = admissionDeadlines(product);
        assertEquals(1, stillOpen.size());
        assertTrue(deadlines.containsAll(stillOpen), "the open admission keeps its time");

        queueControl(product, "resume").statusCode(200).body("paused", equalTo(false));
        keep();
        assertEquals(3, admittedEver(product), "the next in line is admitted once resumed");
    }

    @Test
    void noKeeperAdmitsOnceThePauseHasAnsweredEvenWithTwoKeepingAtOnce() throws Exception {
        int stock = 40;
        UUID product = queuedProduct(stock);
        List<Shopper> shoppers = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            shoppers.add(newShopper());
            join(shoppers.get(i), product);
        }
        openSale(product);
        AtomicBoolean keeping = new AtomicBoolean(true);
        AtomicInteger runs = new AtomicInteger();
        ExecutorService keepers = Executors.newFixedThreadPool(2);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int k = 0; k < 2; k++) {
                running.add(keepers.submit(() -> {
                    while (keeping.get()) {
                        keep();
                        runs.incrementAndGet();
                    }
                    return null;
                }));
            }
            waitUntil(() -> admittedEver(product) > 0);
            queueControl(product, "pause").statusCode(200).body("paused", equalTo(true));
            long atPause = admittedEver(product);
            // Stock comes back for the next in line: every open admission runs out, and the keepers lapse them.
            pool.preparedQuery("UPDATE queue_entries SET admission_expires_at = now() WHERE product_id = $1 "
                    + "AND state = 'ADMITTED'").execute(Tuple.of(product)).await().atMost(WAIT);
            int after = runs.get();
            waitUntil(() -> runs.get() >= after + 20 && admissionDeadlines(product).isEmpty());
            assertEquals(atPause, admittedEver(product), "a keeper admitted after the pause answered");

            queueControl(product, "resume").statusCode(200).body("paused", equalTo(false));
            waitUntil(() -> admittedEver(product) > atPause);
        } finally {
            keeping.set(false);
            for (Future<?> keeper : running) {
                keeper.get();
            }
            keepers.shutdown();
        }
    }

    @Test
    void pausingAProductWithoutAWaitingRoomIsRefusedAndRecordsNothing() {
        UUID plain = newProduct(3);
        long records = auditCount();
        queueControl(plain, "pause").statusCode(409).body("code", equalTo("NOT_QUEUED"));
        queueControl(plain, "resume").statusCode(409).body("code", equalTo("NOT_QUEUED"));
        queueControl(UUID.randomUUID(), "pause").statusCode(404).body("code", equalTo("PRODUCT_NOT_FOUND"));
        assertEquals(records, auditCount());
    }

    @Test
    void everyAdminChangeIsRecordedWithTheFieldsItAlteredNewestFirst() {
        String sku = "AUDIT-" + UUID.randomUUID();
        Instant sale = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        UUID product = UUID.fromString(admin().contentType(ContentType.JSON)
                .body(Map.of("sku", sku, "name", "Audited", "priceCents", 1000, "totalStock", 5, "queue", true,
                        "saleStartsAt", sale.toString()))
                .post("/api/admin/products").then().statusCode(201).extract().path("id"));
        latest().body("action", equalTo("CREATE")).body("productId", equalTo(product.toString()))
                .body("before", nullValue()).body("after.sku", equalTo(sku)).body("after.priceCents", equalTo(1000))
                .body("after.totalStock", equalTo(5)).body("after.queuePaused", equalTo(false));

        patch(product, Map.of("priceCents", 1500)).statusCode(200);
        latest().body("action", equalTo("EDIT")).body("before", equalTo(Map.of("priceCents", 1000)))
                .body("after", equalTo(Map.of("priceCents", 1500)));

        patch(product, Map.of("name", "Audited, renamed")).statusCode(200);
        latest().body("action", equalTo("EDIT")).body("before", equalTo(Map.of("name", "Audited")))
                .body("after", equalTo(Map.of("name", "Audited, renamed")));

        admin().contentType(ContentType.JSON).body(Map.of("quantity", 3))
                .post("/api/admin/products/" + product + "/restock").then().statusCode(200);
        latest().body("action", equalTo("RESTOCK")).body("before", equalTo(Map.of("totalStock", 5)))
                .body("after", equalTo(Map.of("totalStock", 8)));

        queueControl(product, "pause").statusCode(200);
        latest().body("action", equalTo("PAUSE")).body("before", equalTo(Map.of("queuePaused", false)))
                .body("after", equalTo(Map.of("queuePaused", true)));
        queueControl(product, "resume").statusCode(200);
        latest().body("action", equalTo("RESUME")).body("after", equalTo(Map.of("queuePaused", false)));

        admin().post("/api/admin/products/" + product + "/end-sale").then().statusCode(200);
        latest().body("action", equalTo("END_SALE")).body("before", hasKey("saleEndsAt"))
                .body("before.saleEndsAt", nullValue()).body("after.saleEndsAt", not(nullValue()))
                .body("before.saleStartsAt", not(nullValue())).body("after.saleStartsAt", nullValue())
                .body("after", not(hasKey("priceCents")));

        admin().get("/api/admin/audit?page=0&size=3").then().statusCode(200)
                .body("page", equalTo(0)).body("size", equalTo(3)).body("hasMore", equalTo(true))
                .body("items.action", equalTo(List.of("END_SALE", "RESUME", "PAUSE")))
                .body("items.productId", equalTo(List.of(product.toString(), product.toString(), product.toString())));
        admin().get("/api/admin/audit?page=1&size=3").then().statusCode(200)
                .body("items.action", equalTo(List.of("RESTOCK", "EDIT", "EDIT")));
    }

    @Test
    void aRefusedChangeLeavesNoRecordAndOnlyOperatorsReadTheLog() {
        UUID product = newProduct(5);
        long records = auditCount();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        patch(product, Map.of("saleStartsAt", now.plusSeconds(60).toString(), "saleEndsAt", now.toString()))
                .statusCode(400).body("code", equalTo("VALIDATION"));
        patch(UUID.randomUUID(), Map.of("priceCents", 1)).statusCode(404);
        admin().contentType(ContentType.JSON).body(Map.of("quantity", 1))
                .post("/api/admin/products/" + UUID.randomUUID() + "/restock").then().statusCode(404);
        admin().contentType(ContentType.JSON).body(Map.of("quantity", 0))
                .post("/api/admin/products/" + product + "/restock").then().statusCode(400);
        admin().post("/api/admin/products/" + UUID.randomUUID() + "/end-sale").then().statusCode(404);
        admin().contentType(ContentType.JSON).body(Map.of("sku", "X")).post("/api/admin/products").then()
                .statusCode(400);
        given().post("/api/admin/products/" + product + "/end-sale").then().statusCode(401);
        assertEquals(records, auditCount());

        given().get("/api/admin/audit").then().statusCode(401);
        admin().get("/api/admin/audit?size=0").then().statusCode(400).body("code", equalTo("VALIDATION"));
        admin().get("/api/admin/audit?size=101").then().statusCode(400).body("code", equalTo("VALIDATION"));
    }

    private ValidatableResponse latest() {
        return admin().get("/api/admin/audit?size=1").then().statusCode(200).rootPath("items[0]");
    }

    private static ValidatableResponse queueControl(UUID product, String action) {
        return admin().post("/api/admin/products/" + product + "/queue/" + action).then();
    }

    private static ValidatableResponse patch(UUID product, Map<String, Object> change) {
        return admin().contentType(ContentType.JSON).body(change).patch("/api/admin/products/" + product).then();
    }

    private void keep() {
        pool.query(KEEP).execute().await().atMost(WAIT);
    }

    private long admittedEver(UUID product) {
        return count("SELECT count(*) FROM queue_entries WHERE product_id = $1 AND admitted_at IS NOT NULL", product);
    }

    private List<Object> admissionDeadlines(UUID product) {
        List<Object> deadlines = new ArrayList<>();
        pool.preparedQuery("SELECT admission_expires_at FROM queue_entries WHERE product_id = $1 AND state = 'ADMITTED'"
                + " ORDER BY position").execute(Tuple.of(product)).await().atMost(WAIT)
                .forEach(row -> deadlines.add(row.getValue(0)));
        return deadlines;
    }

    private String state(UUID product, Shopper shopper) {
        return pool.preparedQuery("SELECT state FROM queue_entries WHERE product_id = $1 AND shopper_id = $2")
                .execute(Tuple.of(product, shopper.id())).await().atMost(WAIT).iterator().next().getString(0);
    }

    private long auditCount() {
        return pool.query("SELECT count(*) FROM admin_audit").execute().await().atMost(WAIT).iterator().next()
                .getLong(0);
    }

    private long count(String sql, UUID product) {
        return pool.preparedQuery(sql).execute(Tuple.of(product)).await().atMost(WAIT).iterator().next().getLong(0);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting");
            Thread.sleep(20);
        }
    }
}

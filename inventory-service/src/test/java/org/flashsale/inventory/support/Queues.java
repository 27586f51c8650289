package org.flashsale.inventory.support;

import static org.flashsale.inventory.support.Api.admin;
import static org.flashsale.inventory.support.Api.as;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.live.LivePublisher;

/** The waiting room as the live tests drive it: queued products, joins, the sale opening, the worker's keeper. */
public final class Queues {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private Queues() {
    }

    /** A queued product whose sale starts in an hour (so joiners wait for the draw). */
    public static UUID queuedProduct(int totalStock) {
        String sku = "QLIVE-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("sku", sku, "name", "Queued " + sku, "priceCents", 1000,
                "totalStock", totalStock, "queue", true,
                "saleStartsAt", Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString());
        return UUID.fromString(admin().contentType(ContentType.JSON).body(body).post("/api/admin/products")
                .then().statusCode(201).extract().path("id"));
    }

    public static void join(Shopper shopper, UUID product) {
        as(shopper).post("/api/products/" + product + "/queue").then().statusCode(201);
    }

    public static void leave(Shopper shopper, UUID product) {
        as(shopper).delete("/api/products/" + product + "/queue/me").then().statusCode(204);
    }

    /** The sale starts now: the keeper's next run draws. */
    public static void openSale(UUID product) {
        admin().contentType(ContentType.JSON)
                .body(Map.of("saleStartsAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString()))
                .patch("/api/admin/products/" + product).then().statusCode(200);
    }

    /**
     * One run of the keeper as the expiry-worker's QueueKeeper makes it: the database function keep_queues, then,
     * after it committed, the announcement of the queues it kept through LivePublisher's NOTIFY, which this service's
     * LiveListener hears.
     */
    public static void keepAndAnnounce(Pool pool, LivePublisher live) {
        for (Row row : pool.query("SELECT * FROM keep_queues(1.0, 1000)").execute().await().atMost(WAIT)) {
            live.queue(row.getUUID("product_id"));
        }
    }

    /** The admission runs out now (the keeper lapses it at its next run). */
    public static void admissionRunsOut(Pool pool, UUID product, Shopper shopper) {
        pool.preparedQuery("UPDATE queue_entries SET admission_expires_at = now() "
                + "WHERE product_id = $1 AND shopper_id = $2 AND state = 'ADMITTED'")
                .execute(Tuple.of(product, shopper.id())).await().atMost(WAIT);
    }

    /** The shoppers in position order. */
    public static List<Shopper> byPosition(Pool pool, UUID product, List<Shopper> shoppers) {
        List<Shopper> ordered = new ArrayList<>();
        for (Row row : pool.preparedQuery("SELECT shopper_id FROM queue_entries WHERE product_id = $1 "
                + "AND position IS NOT NULL ORDER BY position").execute(Tuple.of(product)).await().atMost(WAIT)) {
            shoppers.stream().filter(s -> s.id().equals(row.getUUID("shopper_id"))).forEach(ordered::add);
        }
        return ordered;
    }
}

package org.flashsale.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.inventory.queue.DrawPages;
import org.flashsale.inventory.queue.QueueService;
import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.inventory.support.Queues;
import org.flashsale.testsupport.DrawRecipe;
import org.flashsale.testsupport.WithPostgres;

/**
 * The published draw's pages: computed once after the draw and served with a strong ETag (If-None-Match → 304) and a
 * Cache-Control that lets any cache keep them for good; before the draw, a page is not final and must be revalidated.
 * A shopper leaving after the draw does not change it: the served page, the kept one and a fresh computation are the
 * same bytes.
 */
@QuarkusTest
@WithPostgres
class DrawPageTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    @Inject
    Pool pool;
    @Inject
    QueueService queues;
    @Inject
    DrawPages drawPages;

    @Test
    void beforeTheDrawAPageIsNotFinalAndAfterItItIsImmutableWithAStrongETagAnd304() {
        UUID product = Queues.queuedProduct(5);
        List<Shopper> entrants = IntStream.range(0, 12).mapToObj(i -> newShopper()).toList();
        entrants.forEach(shopper -> Queues.join(shopper, product));

        Response before = page(product, null);
        assertEquals(200, before.statusCode());
        assertEquals("no-cache", before.header("Cache-Control"), "before the draw the page will change");
        assertEquals(List.of(), before.path("places"));
        String beforeTag = before.header("ETag");
        assertTrue(beforeTag != null && beforeTag.matches("\"[A-Za-z0-9_-]+\""), "a strong ETag: " + beforeTag);
        assertEquals(304, page(product, beforeTag).statusCode(), "revalidation works before the draw too");

        Queues.openSale(product);
        keep();
        Response drawn = page(product, null);
        assertEquals(200, drawn.statusCode());
        assertEquals(IMMUTABLE, drawn.header("Cache-Control"));
        String tag = drawn.header("ETag");
        assertTrue(tag.matches("\"[A-Za-z0-9_-]+\""), "a strong ETag: " + tag);
        assertNotEquals(beforeTag, tag, "the drawn page is another page than the empty one");
        assertEquals(10, drawn.<List<?>>path("places").size());

        Response notModified = page(product, tag);
        assertEquals(304, notModified.statusCode());
        assertEquals(tag, notModified.header("ETag"));
        assertEquals(IMMUTABLE, notModified.header("Cache-Control"));
        assertEquals(0, notModified.asByteArray().length);
        assertEquals(304, page(product, "\"someone-else\", " + tag).statusCode(), "one of a list");
        assertEquals(200, page(product, "\"someone-else\"").statusCode());
        assertEquals(304, page(product, "W/" + tag).statusCode(), "If-None-Match compares weakly (RFC 9110)");

        // Every entrant's key at a place: the one who leaves now too.
        String seed = drawn.path("drawSeed");
        Map<String, Integer> places = new HashMap<>();
        for (Integer from = 1; from != null;) {
            Response response = given().queryParam("from", from).queryParam("limit", 10)
                    .get("/api/products/" + product + "/queue/draw");
            List<Map<String, Object>> page = response.path("places");
            page.forEach(place -> places.put((String) place.get("key"), (Integer) place.get("position")));
            from = response.path("next");
        }
        assertEquals(12, places.size());
        entrants.forEach(shopper -> assertTrue(places.containsKey(DrawRecipe.hexKey(seed, shopper.id()))));

        Shopper leaver = entrants.get(0);
        Queues.leave(leaver, product);
        Response after = page(product, null);
        assertArrayEquals(drawn.asByteArray(), after.asByteArray(), "a leave after the draw changes nothing of it");
        assertEquals(tag, after.header("ETag"));
        byte[] fresh = drawPages.render(queues.draw(product, 1, 10).await().atMost(WAIT)).json();
        assertArrayEquals(fresh, after.asByteArray(), "the kept page is what a fresh computation gives");
        assertEquals(tag, "\"" + drawPages.render(queues.draw(product, 1, 10).await().atMost(WAIT)).etag() + "\"");
    }

    @Test
    void eachRangeIsItsOwnPage() {
        UUID product = Queues.queuedProduct(5);
        IntStream.range(0, 3).forEach(i -> Queues.join(newShopper(), product));
        Queues.openSale(product);
        keep();
        Response first = given().queryParam("from", 1).queryParam("limit", 2)
                .get("/api/products/" + product + "/queue/draw");
        Response second = given().queryParam("from", 3).queryParam("limit", 2)
                .get("/api/products/" + product + "/queue/draw");
        assertNotEquals(first.header("ETag"), second.header("ETag"));
        assertEquals(Integer.valueOf(3), first.path("next"));
        assertEquals(List.of(3), second.path("places.position"));
        Object last = second.path("next");
        assertNull(last, "the last page");
        given().get("/api/products/" + UUID.randomUUID() + "/queue/draw").then().statusCode(404);
    }

    private static Response page(UUID product, String ifNoneMatch) {
        var request = given().queryParam("from", 1).queryParam("limit", 10);
        if (ifNoneMatch != null) {
            request = request.header("If-None-Match", ifNoneMatch);
        }
        return request.get("/api/products/" + product + "/queue/draw");
    }

    private void keep() {
        pool.query("SELECT * FROM keep_queues(1.0, 1000)").execute().await().atMost(WAIT);
    }
}

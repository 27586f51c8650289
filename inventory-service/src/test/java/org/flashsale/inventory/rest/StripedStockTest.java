package org.flashsale.inventory.rest;

import static org.flashsale.inventory.support.Api.admin;
import static org.flashsale.inventory.support.Api.availableStock;
import static org.flashsale.inventory.support.Api.cancel;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.newStripedProduct;
import static org.flashsale.inventory.support.Api.reserve;
import static org.flashsale.inventory.support.Api.reserveOk;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.inventory.support.Stampede.Result;
import org.flashsale.inventory.support.Stampede;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.Holds;
import org.flashsale.testsupport.WithPostgres;

/**
 * Striped stock: a product's available stock spread over several rows. Reads, restock, cancel and expiry stay exact,
 * and a reserve is refused only when the product as a whole has too little.
 */
@QuarkusTest
@WithPostgres
class StripedStockTest {

    @Inject
    Pool pool;

    @AfterEach
    void booksBalance() {
        Books.read(pool).assertBalanced();
    }

    @Test
    void aNewProductSpreadsItsStockEvenlyOverItsStripes() {
        UUID product = newStripedProduct(10, 4);

        assertEquals(List.of(3, 3, 2, 2), Books.stripes(pool, product));
        admin().get("/api/products/" + product).then().statusCode(200)
                .body("availableStock", equalTo(10)).body("totalStock", equalTo(10)).body("stripes", equalTo(4));
    }

    @Test
    void aRequestLargerThanAnyOneStripeIsServedFromSeveral() {
        UUID product = newStripedProduct(8, 8);

        reserveOk(newShopper(), product, 5);
        assertEquals(3, availableStock(product));
        reserve(newShopper(), product, 4).then().statusCode(409).body("code", equalTo("OUT_OF_STOCK"))
                .body("availableStock", equalTo(3));
        reserveOk(newShopper(), product, 3);
        assertEquals(0, availableStock(product));
        assertEquals(8, Books.stripes(pool, product).size(), "stripes are never removed");
    }

    @Test
    void cancelAndExpiryGiveUnitsBackExactlyOnce() {
        UUID product = newStripedProduct(12, 3);
        Shopper alice = newShopper();
        UUID released = reserveOk(alice, product, 4);
        UUID lapsed = reserveOk(newShopper(), product, 5);

        cancel(alice, released).then().statusCode(200);
        cancel(alice, released).then().statusCode(200);
        Holds.expireNow(pool, lapsed);
        // Expires every due hold in the (shared) database, the lapsed one among them; the second run must not give
        // its units back again (the stock below would then be 17).
        Holds.runExpiry(pool);
        Holds.runExpiry(pool);

        assertEquals(12, availableStock(product));
        assertEquals(12, Books.stripes(pool, product).stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void restockCanReStripeAndRetiredStripesKeepTheirHoldsWhole() {
        UUID product = newStripedProduct(10, 4);
        Shopper shopper = newShopper();
        UUID hold = reserveOk(shopper, product, 2);

        restock(product, "{\"quantity\":0,\"stripes\":2}").statusCode(200).body("stripes", equalTo(2))
                .body("availableStock", equalTo(8)).body("totalStock", equalTo(10));
        assertEquals(List.of(4, 4, 0, 0), Books.stripes(pool, product));

        cancel(shopper, hold).then().statusCode(200);
        restock(product, "{\"quantity\":5}").statusCode(200).body("availableStock", equalTo(15)).body("totalStock", equalTo(15));
        assertEquals(List.of(8, 7, 0, 0), Books.stripes(pool, product));
        restock(product, "{\"quantity\":0}").statusCode(400);
    }

    @Test
    void aStampedeOnAStripedProductSellsEveryUnitAndNotOneMore() {
        UUID product = newStripedProduct(200, 8);
        List<Stampede.Call> calls = IntStream.range(0, 300)
                .mapToObj(i -> Stampede.reserve(newShopper(), product, 1 + i % 2)).toList();

        List<Result> results;
        try (Stampede stampede = new Stampede()) {
            results = stampede.fire(calls);
        }

        Map<Integer, Long> byStatus = results.stream()
                .collect(Collectors.groupingBy(Result::status, Collectors.counting()));
        assertEquals(Set.of(201, 409), byStatus.keySet(), () -> "only holds and refusals: " + byStatus);
        assertTrue(results.stream().filter(r -> r.status() == 409).allMatch(r -> r.body().contains("OUT_OF_STOCK")));
        int held = (int) Books.read(pool).of(product).active();
        int available = availableStock(product);
        assertEquals(200, held + available);
        // Refused only when too little was left: at most one unit can remain (a 2-unit request against 1 left).
        assertTrue(available <= 1, "left " + available + " units while refusing requests");
    }

    @Test
    void aSoldOutProductRefusesWithoutWaitingForItsStripeLocks() throws Exception {
        UUID product = newStripedProduct(2, 4); // stripes 1, 1, 0, 0: no one stripe covers 3, nor do all of them
        Shopper shopper = newShopper();
        SqlConnection locker = pool.getConnectionAndAwait();
        try {
            // Another transaction holds every stripe of the product, as a reserve across stripes does meanwhile.
            locker.query("BEGIN").executeAndAwait();
            locker.preparedQuery("SELECT 1 FROM stock_stripes WHERE product_id = $1 FOR UPDATE")
                    .executeAndAwait(Tuple.of(product));

            CompletableFuture<Response> refusal = CompletableFuture.supplyAsync(() -> reserve(shopper, product, 3));

            // The refusal comes while the locks are still held (before: it queued behind them until they went).
            Response response = refusal.get(30, TimeUnit.SECONDS);
            response.then().statusCode(409).body("code", equalTo("OUT_OF_STOCK")).body("availableStock", equalTo(2));
        } finally {
            locker.query("ROLLBACK").executeAndAwait();
            locker.closeAndAwait();
        }
        reserveOk(shopper, product, 2); // with the locks gone, the two units are served from two stripes
        assertEquals(0, availableStock(product));
    }

    private static ValidatableResponse restock(UUID product, String body) {
        return admin().contentType(ContentType.JSON).body(body).post("/api/admin/products/" + product + "/restock")
                .then();
    }
}

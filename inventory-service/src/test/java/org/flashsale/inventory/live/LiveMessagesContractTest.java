package org.flashsale.inventory.live;

import static org.flashsale.inventory.support.Api.availableStock;
import static org.flashsale.inventory.support.Api.cancel;
import static org.flashsale.inventory.support.Api.complete;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.reserve;
import static org.flashsale.inventory.support.Api.reserveOk;
import static org.flashsale.testsupport.StockFrames.withStock;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.inventory.support.Api;
import org.flashsale.inventory.support.Queues;
import org.flashsale.live.HoldEvent;
import org.flashsale.live.HoldStatus;
import org.flashsale.live.LivePublisher;
import org.flashsale.testsupport.Holds;
import org.flashsale.testsupport.LiveClient;
import org.flashsale.testsupport.StockFrames;
import org.flashsale.testsupport.WithPostgres;

/**
 * Every message type of every live stream, as the running service sends it over real WebSockets, matches the AsyncAPI
 * document (asyncapi/asyncapi.json): each message validates against its channel's payload schema (no property the
 * document does not name, no type it does not declare), and every type and hold change it declares is seen (a queue
 * ticket and a queued product's dashboard figures included).
 */
@QuarkusTest
@WithPostgres
class LiveMessagesContractTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AsyncApiContract CONTRACT = AsyncApiContract.committed();

    @Inject
    Pool pool;

    @Inject
    LivePublisher live;

    @Test
    void everyMessageTheStreamsSendMatchesTheDocument() {
        UUID product = newProduct(10);
        Shopper alice = newShopper();
        List<JsonNode> stock = new ArrayList<>();
        List<JsonNode> holds = new ArrayList<>();
        List<JsonNode> dashboard = new ArrayList<>();
        try (LiveClient stockLive = LiveClient.stock(RestAssured.port); LiveClient aliceLive = LiveClient.shopper(RestAssured.port, alice.token());
                LiveClient operator = LiveClient.connect(RestAssured.port, "/ws/admin", Api.ADMIN_KEY)) {
            stock.addAll(stockLive.until(ofType("snapshot"), WAIT));

            UUID paid = reserveOk(alice, product, 1);
            holds.addAll(aliceLive.until(change("CREATED"), WAIT));
            reserve(alice, product, 1).then().statusCode(200);
            holds.addAll(aliceLive.until(change("EXTENDED"), WAIT));
            complete(alice, paid).then().statusCode(200);
            holds.addAll(aliceLive.until(change("COMPLETED"), WAIT));
            stock.addAll(stockLive.until(StockFrames::hasPurchases, WAIT));

            UUID released = reserveOk(alice, product, 2);
            cancel(alice, released).then().statusCode(200);
            holds.addAll(aliceLive.until(change("CANCELLED"), WAIT));

            UUID due = reserveOk(alice, product, 3);
            Holds.expireNow(pool, due);
            expireAndAnnounceAsTheWorkerDoes();
            holds.addAll(aliceLive.until(change("EXPIRED"), WAIT));

            int afterExpiry = availableStock(product);
            stock.addAll(stockLive.until(withStock(product, e -> e.get("availableStock").asInt() == afterExpiry), WAIT));
            // The tick after the expiry carries a lag (an integer); the others have none (null).
            dashboard.addAll(operator.until(m -> rowOf(m, product).hasNonNull("expiryLagMillis"), WAIT));

            UUID queued = Queues.queuedProduct(1);
            Queues.join(alice, queued);
            Queues.openSale(queued);
            Queues.keepAndAnnounce(pool, live);
            holds.addAll(aliceLive.until(ofType("queue"), WAIT));
            dashboard.addAll(operator.until(m -> rowOf(m, queued).has("queue"), WAIT));

            stock.addAll(stockLive.drain());
            holds.addAll(aliceLive.drain());
            dashboard.addAll(operator.drain());
        }

        stock.forEach(message -> CONTRACT.assertValid("/ws/stock", message));
        holds.forEach(message -> CONTRACT.assertValid("/ws/shopper", message));
        dashboard.forEach(message -> CONTRACT.assertValid("/ws/admin", message));
        assertEquals(CONTRACT.types("/ws/stock"), valuesOf(stock, "type"));
        assertEquals(CONTRACT.types("/ws/shopper"), valuesOf(holds, "type"));
        assertEquals(CONTRACT.types("/ws/admin"), valuesOf(dashboard, "type"));
        List<JsonNode> holdEvents = holds.stream().filter(ofType("hold")).toList();
        assertEquals(CONTRACT.enumValues("HoldChange"), valuesOf(holdEvents, "change"));
        assertEquals(CONTRACT.enumValues("HoldStatus"), valuesOf(holdEvents, "status"));
    }

    /**
     * The expire transition (the database function the expiry worker runs), then its announcement as the worker's
     * ExpiryLoop makes it: through LivePublisher's NOTIFY, which this service's LiveListener hears.
     */
    private void expireAndAnnounceAsTheWorkerDoes() {
        for (Row row : pool.query("SELECT * FROM expire_due_holds(500)").executeAndAwait()) {
            live.stock(row.getUUID("product_id"));
            live.hold(new HoldEvent(HoldEvent.Change.EXPIRED, row.getUUID("hold_id"), row.getUUID("shopper_id"),
                    row.getUUID("product_id"), row.getInteger("quantity"), HoldStatus.EXPIRED,
                    row.getOffsetDateTime("expires_at").toInstant(), row.getOffsetDateTime("ended_at").toInstant()));
        }
    }

    private static Predicate<JsonNode> ofType(String type) {
        return message -> type.equals(message.path("type").asText());
    }

    private static Predicate<JsonNode> change(String change) {
        return message -> change.equals(message.path("change").asText());
    }

    private static JsonNode rowOf(JsonNode figures, UUID product) {
        for (JsonNode row : figures.path("products")) {
            if (product.toString().equals(row.path("productId").asText())) {
                return row;
            }
        }
        return MissingNode.getInstance();
    }

    private static Set<String> valuesOf(List<JsonNode> messages, String field) {
        Set<String> values = new LinkedHashSet<>();
        messages.forEach(message -> values.add(message.path(field).asText()));
        return values;
    }
}

package org.flashsale.inventory.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;

import org.flashsale.inventory.live.shopper.ShopperSocket;
import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.inventory.support.Api;
import org.flashsale.live.HoldEvent.Change;
import org.flashsale.live.HoldEvent;
import org.flashsale.live.HoldStatus;
import org.flashsale.live.LiveChannels;
import org.flashsale.live.LiveCodec;
import org.flashsale.live.LivePublisher;
import org.flashsale.testsupport.LiveClient;
import org.flashsale.testsupport.WithPostgres;

/** Live announcements survive a failed NOTIFY, and a shopper's stream never queues without bound. */
@QuarkusTest
@WithPostgres
class LiveDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    ShopperSocket shopperSocket;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> username;

    /**
     * The database refuses the first two NOTIFYs of a publisher (its connections resolve pg_notify to a function that
     * raises twice, then calls the real one): the announcement still arrives, once the publisher sends it again.
     */
    @Test
    void anAnnouncementWhoseNotifyFailedIsSentAgain() throws InterruptedException {
        pool.query("""
                CREATE SCHEMA IF NOT EXISTS flaky;
                DROP SEQUENCE IF EXISTS flaky.calls;
                CREATE SEQUENCE flaky.calls;
                CREATE OR REPLACE FUNCTION flaky.pg_notify(channel text, payload text) RETURNS void
                LANGUAGE plpgsql AS $$
                BEGIN
                    IF nextval('flaky.calls') <= 2 THEN
                        RAISE EXCEPTION 'NOTIFY refused (test)';
                    END IF;
                    PERFORM pg_catalog.pg_notify(channel, payload);
                END $$""").executeAndAwait();
        PgConnectOptions options = connectOptions().addProperty("search_path", "flaky, pg_catalog, public");
        Pool flaky = PgBuilder.pool().connectingTo(options).using(vertx).build();
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        PgSubscriber subscriber = PgSubscriber.subscriber(vertx.getDelegate(), connectOptions());
        subscriber.channel(LiveChannels.EVENTS).handler(heard::add);
        try {
            subscriber.connect().toCompletionStage().toCompletableFuture().join();
            UUID product = UUID.randomUUID();

            new LivePublisher(flaky, vertx).stock(product);

            long deadline = System.nanoTime() + WAIT.toNanos();
            boolean announced = false;
            while (!announced && System.nanoTime() < deadline) {
                String payload = heard.poll(100, TimeUnit.MILLISECONDS);
                announced = payload != null && LiveCodec.decode(payload).stock().contains(product);
            }
            assertTrue(announced, "the stock change was announced after two failed NOTIFYs");
            assertEquals(3, pool.query("SELECT last_value FROM flaky.calls").executeAndAwait().iterator().next()
                    .getLong(0), "two refused, the third went");
        } finally {
            subscriber.close();
            flaky.closeAndAwait();
            pool.query("DROP SCHEMA flaky CASCADE").executeAndAwait();
        }
    }

    /**
     * Thousands of events for a shopper's two holds in one burst: the connection writes one message at a time and
     * each hold's newer events replace its waiting one, so far fewer messages go out, and each hold's last one does.
     */
    @Test
    void aBurstToAShopperIsConflatedToEachHoldsNewestEvent() {
        Shopper shopper = Api.newShopper();
        UUID first = UUID.randomUUID(), second = UUID.randomUUID(), product = UUID.randomUUID();
        int burst = 20_000;
        try (LiveClient live = LiveClient.shopper(RestAssured.port, shopper.token())) {
            awaitConnected(live, shopper, product);

            for (int quantity = 1; quantity <= burst; quantity++) {
                shopperSocket.deliver(event(first, shopper, product, quantity));
                shopperSocket.deliver(event(second, shopper, product, quantity));
            }

            Set<UUID> finished = new HashSet<>();
            int received = 0;
            while (finished.size() < 2) {
                JsonNode message = live.next(WAIT);
                received++;
                if (message.path("quantity").asInt() == burst) {
                    finished.add(UUID.fromString(message.path("id").asText()));
                }
            }
            assertEquals(Set.of(first, second), finished);
            assertTrue(received < burst, received + " messages for " + 2 * burst + " events");
        }
    }

    /** The test database, as the service's pool reaches it. */
    private PgConnectOptions connectOptions() {
        PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""));
        username.ifPresent(options::setUser);
        return options;
    }

    /** The socket is registered once it delivers: a probe event is heard. */
    private void awaitConnected(LiveClient live, Shopper shopper, UUID product) {
        UUID probe = UUID.randomUUID();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            shopperSocket.deliver(event(probe, shopper, product, 1));
            if (live.drain().stream().anyMatch(message -> probe.toString().equals(message.path("id").asText()))) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("the shopper's stream never delivered");
    }

    private static HoldEvent event(UUID hold, Shopper shopper, UUID product, int quantity) {
        return new HoldEvent(Change.EXTENDED, hold, shopper.id(), product, quantity, HoldStatus.ACTIVE,
                Instant.parse("2030-01-01T00:00:00Z"), null);
    }
}

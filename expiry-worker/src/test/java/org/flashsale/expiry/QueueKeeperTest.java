package org.flashsale.expiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;

import org.flashsale.expiry.queue.QueueKeeper;
import org.flashsale.expiry.queue.QueueKeeper.Kept;
import org.flashsale.live.LiveChannels;
import org.flashsale.live.LiveCodec;
import org.flashsale.testsupport.Books;
import org.flashsale.testsupport.DrawRecipe;
import org.flashsale.testsupport.WithPostgres;

/** The waiting room's keeper (keep_queues) on a real database: the draw, placing, admission, lapses, the close. */
@QuarkusTest
@WithPostgres(migrate = true)
class QueueKeeperTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    Pool pool;
    @Inject
    QueueKeeper keeper;
    @Inject
    Vertx vertx;
    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String url;
    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> username;

    @Test
    void theDrawPlacesEarlyJoinersByItsPublishedSeedAndLateJoinersBehindInArrivalOrder() throws Exception {
        UUID product = queuedProduct(10);
        List<UUID> early = join(product, 300);
        openSale(product);
        List<UUID> late = joinInArrivalOrder(product, 40);

        keeper.run().await().atMost(WAIT);

        Row draw = pool.preparedQuery("SELECT draw_seed, draw_entrants, placed FROM product_queues WHERE product_id = $1")
                .execute(Tuple.of(product)).await().atMost(WAIT).iterator().next();
        String seed = draw.getString("draw_seed");
        assertTrue(seed.matches("[0-9a-f]{32}"), seed);
        assertEquals(300, draw.getInteger("draw_entrants"));
        assertEquals(340, draw.getInteger("placed"));

        List<UUID> byPosition = shoppersByPosition(product);
        List<UUID> recomputed = DrawRecipe.order(seed, early);
        recomputed.addAll(late);
        assertEquals(recomputed, byPosition, "the draw recomputed from its seed, then the late joiners");
        assertEquals(IntStream.rangeClosed(1, 340).boxed().toList(), positions(product), "a permutation of 1..340");
        assertEquals(byPosition.subList(0, 10), admittedInOrder(product), "the first ten places are admitted");
    }

    /** The scale the waiting room is built for: 100,000 shoppers waiting for one product, drawn in one run. */
    @Test
    void aHundredThousandShoppersWaitForOneProductAndTheDrawPlacesThemAll() {
        UUID product = queuedProduct(50);
        List<UUID> entrants = join(product, 100_000);
        openSale(product);

        List<Kept> run = keeper.run().await().atMost(WAIT);

        Kept kept = run.stream().filter(k -> k.productId().equals(product)).findFirst().orElseThrow();
        assertTrue(kept.drawn());
        assertEquals(100_000, kept.placed());
        assertEquals(50, kept.admitted());
        Row places = pool.preparedQuery("SELECT count(*), count(DISTINCT position), min(position), max(position) "
                + "FROM queue_entries WHERE product_id = $1").execute(Tuple.of(product)).await().atMost(WAIT)
                .iterator().next();
        assertEquals(List.of(100_000L, 100_000L, 1, 100_000),
                List.of(places.getLong(0), places.getLong(1), places.getInteger(2), places.getInteger(3)),
                "positions are a permutation of 1..100,000");
        String seed = pool.preparedQuery("SELECT draw_seed FROM product_queues WHERE product_id = $1")
                .execute(Tuple.of(product)).await().atMost(WAIT).iterator().next().getString(0);
        List<UUID> byPosition = shoppersByPosition(product);
        assertEquals(DrawRecipe.order(seed, entrants), byPosition, "the draw recomputed from its seed");
        assertEquals(byPosition.subList(0, 50), open(product), "the first fifty places are admitted");
    }

    @Test
    void nothingIsPlacedOrAdmittedBeforeTheSaleOpens() {
        UUID product = queuedProduct(10);
        join(product, 5);

        keeper.run().await().atMost(WAIT);

        assertEquals(0L, count("SELECT count(*) FROM queue_entries WHERE product_id = $1 AND position IS NOT NULL", product));
        assertEquals(0L, count("SELECT count(*) FROM product_queues WHERE product_id = $1 AND drawn_at IS NOT NULL", product));
    }

    @Test
    void admissionFollowsTheStockLapsedAdmissionsPassToTheNextAndReturnedUnitsAdmitTheNextInLine() {
        UUID product = queuedProduct(3);
        join(product, 20);
        openSale(product);
        keeper.run().await().atMost(WAIT);
        List<UUID> line = shoppersByPosition(product);
        assertEquals(line.subList(0, 3), admittedInOrder(product));

        // The first reserves: a unit moves from available to held, the admission is used; nobody new is admitted.
        assertEquals("RESERVED", reserve(product, line.get(0)));
        keeper.run().await().atMost(WAIT);
        assertEquals(line.subList(1, 3), open(product));

        // The second lets the admission run out: it lapses and the fourth is admitted.
        pool.preparedQuery("UPDATE queue_entries SET admission_expires_at = now() - interval '1 second' "
                + "WHERE product_id = $1 AND shopper_id = $2").execute(Tuple.of(product, line.get(1))).await().atMost(WAIT);
        assertEquals("NOT_ADMITTED", reserve(product, line.get(1)), "a lapsed admission reserves nothing");
        keeper.run().await().atMost(WAIT);
        assertEquals("LAPSED", state(product, line.get(1)));
        assertEquals(List.of(line.get(2), line.get(3)), open(product));

        // The first shopper's hold expires: its unit comes back and goes to the next in line, the fifth.
        pool.preparedQuery("UPDATE holds SET expires_at = now() - interval '1 second' WHERE product_id = $1")
                .execute(Tuple.of(product)).await().atMost(WAIT);
        pool.query("SELECT * FROM expire_due_holds(1000)").execute().await().atMost(WAIT);
        keeper.run().await().atMost(WAIT);
        assertEquals(List.of(line.get(2), line.get(3), line.get(4)), open(product));
        assertEquals(line.subList(0, 5), admittedInOrder(product), "admission order is position order");
        Books.read(pool).assertBalanced();
    }

    @Test
    void aFactorAboveOneAdmitsAheadOfHeldUnitsThatMayComeBack() {
        UUID product = queuedProduct(4);
        join(product, 10);
        openSale(product);
        keeper.run().await().atMost(WAIT);
        List<UUID> line = shoppersByPosition(product);
        line.subList(0, 4).forEach(shopper -> assertEquals("RESERVED", reserve(product, shopper)));

        // 0 available, 4 held: factor 1.5 keeps ceil(1.5 x 4) - 4 = 2 admissions open.
        pool.query("SELECT * FROM keep_queues(1.5, 100)").execute().await().atMost(WAIT);
        assertEquals(line.subList(4, 6), open(product));
    }

    @Test
    void racingKeepersAdmitEachShopperOnceAndNeverMoreThanTheStock() {
        List<UUID> products = IntStream.range(0, 12).mapToObj(i -> queuedProduct(7)).toList();
        products.forEach(product -> join(product, 40));
        products.forEach(this::openSale);

        for (int round = 0; round < 5; round++) {
            List<Uni<List<QueueKeeper.Kept>>> racing = IntStream.range(0, 4).mapToObj(i -> keeper.run()).toList();
            Uni.join().all(racing).andFailFast().await().atMost(WAIT);
        }

        for (UUID product : products) {
            assertEquals(IntStream.rangeClosed(1, 40).boxed().toList(), positions(product));
            assertEquals(shoppersByPosition(product).subList(0, 7), admittedInOrder(product),
                    "exactly the stock admitted, in position order");
        }
    }

    @Test
    void aProductSoldOutForGoodClosesItsQueueAndTellsEveryWaitingShopperAtOnce() {
        UUID product = queuedProduct(2);
        join(product, 12);
        openSale(product);
        keeper.run().await().atMost(WAIT);
        List<UUID> line = shoppersByPosition(product);
        line.subList(0, 2).forEach(shopper -> assertEquals("RESERVED", reserve(product, shopper)));
        keeper.run().await().atMost(WAIT);
        assertEquals(10L, count("SELECT count(*) FROM queue_entries WHERE product_id = $1 AND state = 'WAITING'", product),
                "units held may come back: the queue stays open");

        pool.preparedQuery("UPDATE holds SET status = 'COMPLETED', ended_at = now() WHERE product_id = $1")
                .execute(Tuple.of(product)).await().atMost(WAIT);
        keeper.run().await().atMost(WAIT);

        assertEquals(10L, count("SELECT count(*) FROM queue_entries WHERE product_id = $1 AND state = 'SOLD_OUT'", product));
        assertEquals(1L, count("SELECT count(*) FROM product_queues WHERE product_id = $1 AND closed_at IS NOT NULL", product));
        Books.read(pool).assertBalanced();
    }

    /**
     * After a run committed, the queues it changed are named on the live channel (what inventory-service hears to
     * push tickets to its shoppers); a run that changed nothing of a queue does not name it.
     */
    @Test
    void aRunAnnouncesTheQueuesItChangedOnTheLiveChannel() throws InterruptedException {
        UUID product = queuedProduct(1);
        join(product, 3);
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        PgSubscriber subscriber = PgSubscriber.subscriber(vertx, connectOptions());
        subscriber.channel(LiveChannels.EVENTS).handler(heard::add);
        try {
            subscriber.connect().toCompletionStage().toCompletableFuture().join();
            openSale(product);

            keeper.run().await().atMost(WAIT);
            assertTrue(named(heard, product, Duration.ofSeconds(10)), "the draw and the admission were announced");

            keeper.run().await().atMost(WAIT);
            assertFalse(named(heard, product, Duration.ofSeconds(1)), "a run that changed nothing announces nothing");
        } finally {
            subscriber.close();
        }
    }

    private static boolean named(BlockingQueue<String> heard, UUID product, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            String payload = heard.poll(50, TimeUnit.MILLISECONDS);
            if (payload != null && LiveCodec.decode(payload).queues().contains(product)) {
                return true;
            }
        }
        return false;
    }

    private PgConnectOptions connectOptions() {
        PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""));
        username.ifPresent(options::setUser);
        return options;
    }

    /** A queued product with its stock on one stripe, its sale an hour away and its queue open now. */
    private UUID queuedProduct(int stock) {
        return pool.preparedQuery("""
                WITH p AS (
                    INSERT INTO products (sku, name, price_cents, total_stock, queue, sale_starts_at)
                    VALUES ('QUEUE-' || gen_random_uuid(), 'Queued', 1000, $1, true, now() + interval '1 hour')
                    RETURNING id
                )
                INSERT INTO stock_stripes (product_id, stripe, available_stock) SELECT id, 0, $1 FROM p
                RETURNING product_id
                """).execute(Tuple.of(stock)).await().atMost(WAIT).iterator().next().getUUID(0);
    }

    /** {@code n} new shoppers join (one statement, so all at the same joined_at); their ids. */
    private List<UUID> join(UUID product, int n) {
        List<UUID> ids = new ArrayList<>();
        pool.preparedQuery("""
                WITH s AS (INSERT INTO shoppers SELECT gen_random_uuid() FROM generate_series(1, $2) RETURNING id)
                INSERT INTO queue_entries (product_id, shopper_id) SELECT $1, id FROM s RETURNING shopper_id
                """).execute(Tuple.of(product, n)).await().atMost(WAIT).forEach(row -> ids.add(row.getUUID(0)));
        return ids;
    }

    /** {@code n} shoppers join one after another (1 ms apart); their ids in arrival order. */
    private List<UUID> joinInArrivalOrder(UUID product, int n) {
        List<UUID> ids = new ArrayList<>();
        pool.preparedQuery("""
                WITH s AS (INSERT INTO shoppers SELECT gen_random_uuid() FROM generate_series(1, $2) RETURNING id),
                     numbered AS (SELECT id, row_number() OVER () AS i FROM s)
                INSERT INTO queue_entries (product_id, shopper_id, joined_at)
                SELECT $1, id, now() + i * interval '1 millisecond' FROM numbered RETURNING shopper_id, joined_at
                """).execute(Tuple.of(product, n)).await().atMost(WAIT).forEach(row -> ids.add(row.getUUID(0)));
        return ids;
    }

    private void openSale(UUID product) {
        pool.preparedQuery("UPDATE products SET sale_starts_at = now() WHERE id = $1").execute(Tuple.of(product))
                .await().atMost(WAIT);
    }

    /** The careful reserve of one unit by the shopper, as inventory-service runs it; its outcome. */
    private String reserve(UUID product, UUID shopper) {
        return pool.preparedQuery("SELECT outcome FROM reserve_checked($1, $2, 1, 120000, 360000, 10)")
                .execute(Tuple.of(product, shopper)).await().atMost(WAIT).iterator().next().getString(0);
    }

    private List<UUID> shoppersByPosition(UUID product) {
        return ids("SELECT shopper_id FROM queue_entries WHERE product_id = $1 ORDER BY position", product);
    }

    private List<UUID> admittedInOrder(UUID product) {
        return ids("SELECT shopper_id FROM queue_entries WHERE product_id = $1 AND admitted_at IS NOT NULL "
                + "ORDER BY admitted_at, position", product);
    }

    private List<UUID> open(UUID product) {
        return ids("SELECT shopper_id FROM queue_entries WHERE product_id = $1 AND state = 'ADMITTED' ORDER BY position",
                product);
    }

    private List<Integer> positions(UUID product) {
        List<Integer> positions = new ArrayList<>();
        pool.preparedQuery("SELECT position FROM queue_entries WHERE product_id = $1 ORDER BY position")
                .execute(Tuple.of(product)).await().atMost(WAIT).forEach(row -> positions.add(row.getInteger(0)));
        return positions;
    }

    private String state(UUID product, UUID shopper) {
        return pool.preparedQuery("SELECT state FROM queue_entries WHERE product_id = $1 AND shopper_id = $2")
                .execute(Tuple.of(product, shopper)).await().atMost(WAIT).iterator().next().getString(0);
    }

    private List<UUID> ids(String sql, UUID product) {
        List<UUID> ids = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.of(product)).await().atMost(WAIT).forEach(row -> ids.add(row.getUUID(0)));
        return ids;
    }

    private long count(String sql, UUID product) {
        return pool.preparedQuery(sql).execute(Tuple.of(product)).await().atMost(WAIT).iterator().next().getLong(0);
    }
}

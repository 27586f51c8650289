package org.flashsale.inventory.live.stock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** Ticks posted to an event loop that is busy: on a real Vert.x event loop, held busy by a task that waits. */
class TickMailboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx = Vertx.vertx();
    private final Context loop = vertx.getOrCreateContext();
    private final List<StockTick> delivered = new CopyOnWriteArrayList<>();
    private final TickMailbox mailbox = new TickMailbox(loop, delivered::add);

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aBusyLoopNeverQueuesTicksItGetsTheNewestOnceFree() throws Exception {
        CountDownLatch free = busy();
        for (int generation = 1; generation <= 1_000; generation++) {
            mailbox.post(tick(generation, null));
        }
        free.countDown();
        settle();

        assertEquals(List.of(1_000L), generations(), "one delivery, of the newest tick");
    }

    @Test
    void aSnapshotForEveryoneInAReplacedTickStillGoesOut() throws Exception {
        StockWatcher.Snapshot reconnected =
                new StockWatcher.Snapshot(SharedFrame.encode(JSON, Map.of("type", "snapshot")), 1);
        CountDownLatch free = busy();
        mailbox.post(tick(1, reconnected));
        mailbox.post(tick(2, null));
        mailbox.post(tick(3, null));
        free.countDown();
        settle();

        assertEquals(List.of(3L), generations());
        assertEquals(reconnected, delivered.get(0).snapshotForAll(), "the older tick's snapshot rides on the newest");
    }

    @Test
    void aLoopThatKeepsUpGetsEveryTickInOrder() throws Exception {
        for (int generation = 1; generation <= 5; generation++) {
            mailbox.post(tick(generation, null));
            settle();
        }

        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), generations());
        assertNull(delivered.get(4).snapshotForAll());
    }

    private List<Long> generations() {
        return delivered.stream().map(StockTick::generation).toList();
    }

    /** Holds the loop busy until the latch is counted down. */
    private CountDownLatch busy() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch free = new CountDownLatch(1);
        loop.runOnContext(ignored -> {
            running.countDown();
            try {
                free.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        return free;
    }

    /** Waits until every task posted to the loop so far has run. */
    private void settle() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        loop.runOnContext(ignored -> done.countDown());
        assertTrue(done.await(10, TimeUnit.SECONDS));
    }

    private static StockTick tick(long generation, StockWatcher.Snapshot snapshotForAll) {
        return new StockTick(generation, true, SharedFrame.encode(JSON, Map.of("type", "batch", "g", generation)),
                List.of(), snapshotForAll, null);
    }
}

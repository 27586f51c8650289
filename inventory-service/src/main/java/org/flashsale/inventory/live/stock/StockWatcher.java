package org.flashsale.inventory.live.stock;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.WebSocketConnection;

/**
 * One watcher of /ws/stock. What the server keeps of it is bounded whatever the client does: the generation of stock
 * it has ({@link #seen}), at most one snapshot waiting, and how many of its frames are being written.
 */
final class StockWatcher {

    private static final Logger LOG = Logger.getLogger(StockWatcher.class);

    /** A snapshot to send, holding every product's value as of this generation. */
    record Snapshot(String frame, long generation) {
    }

    final WebSocketConnection connection;
    /** The event loop the connection lives on: its frames are written there. */
    final EventLoopWatchers loop;
    private final AtomicInteger writing = new AtomicInteger();
    // Made once: a write allocates only what sending it needs.
    private final Consumer<Void> written = ignored -> writing.decrementAndGet();
    private final Consumer<Throwable> failed;
    /** The generation of stock this watcher has every value of; read and written on its event loop only. */
    long seen = -1;
    /** A snapshot waiting to be sent; set by the timer before the watcher joins its loop, then on the loop only. */
    volatile Snapshot snapshot;
    volatile boolean closed;

    StockWatcher(WebSocketConnection connection, EventLoopWatchers loop) {
        this.connection = connection;
        this.loop = loop;
        this.failed = failure -> {
            writing.decrementAndGet();
            LOG.debugf("could not write to %s: %s", connection.id(), failure.getMessage());
        };
    }

    /** Slow: a frame of an earlier tick is still being written (the client reads less than we send). */
    boolean slow() {
        return writing.get() > 0;
    }

    void write(String frame) {
        writing.incrementAndGet();
        connection.sendText(frame).subscribe().with(written, failed);
    }
}

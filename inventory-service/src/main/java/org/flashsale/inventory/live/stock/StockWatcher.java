package org.flashsale.inventory.live.stock;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.http.WebSocketBase;

/**
 * One watcher of /ws/stock. What the server keeps of it is bounded whatever the client does: the generation of stock
 * it has ({@link #seen}), at most one snapshot waiting, and how many of its frames are being written.
 */
final class StockWatcher {

    private static final Logger LOG = Logger.getLogger(StockWatcher.class);

    /** A snapshot to send, holding every product's value as of this generation. */
    record Snapshot(SharedFrame frame, long generation) {
    }

    /** The event loop the connection lives on: its frames are written there. */
    final EventLoopWatchers loop;
    private final WebSocketBase socket;
    // Made once: a write allocates only what the transport needs for it.
    private final Handler<AsyncResult<Void>> written;
    /** Frames handed to the transport and not yet in the socket's send buffer; on the connection's loop only. */
    private int writing;
    /** Its place in its loop's list, -1 when not in it; on the connection's loop only. */
    int slot = -1;
    /** The generation of stock this watcher has every value of; read and written on its event loop only. */
    long seen = -1;
    /** A snapshot waiting to be sent; set by the timer before the watcher joins its loop, then on the loop only. */
    volatile Snapshot snapshot;
    volatile boolean closed;

    StockWatcher(WebSocketConnection connection, EventLoopWatchers loop) {
        this.loop = loop;
        this.socket = WatcherTransport.of(connection);
        this.written = result -> {
            writing--;
            if (result.failed()) {
                LOG.debugf("could not write to %s: %s", connection.id(), result.cause().getMessage());
            }
        };
    }

    /** Slow: a frame of an earlier tick is still being written (the client reads less than we send). */
    boolean slow() {
        return writing > 0;
    }

    /** Writes the frame on this watcher's event loop (the caller's thread), the bytes shared with every other watcher. */
    void write(SharedFrame frame) {
        writing++;
        socket.writeFrame(frame.toWrite()).onComplete(written);
    }
}

package org.flashsale.inventory.live.shared;

import java.util.Iterator;
import java.util.LinkedHashMap;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.WebSocketConnection;

/**
 * One connection's messages, never a queue without bound: at most one being written, then the newest message of each
 * key waiting (a newer one under the same key replaces the older), oldest key first. A client so far behind that more
 * than {@code mostWaiting} keys wait is closed; it reconnects and reads afresh.
 */
public final class Outbox {

    private static final Logger LOG = Logger.getLogger(Outbox.class);

    private final WebSocketConnection connection;
    private final int mostWaiting;
    private final LinkedHashMap<Object, String> waiting = new LinkedHashMap<>();
    private boolean writing;

    public Outbox(WebSocketConnection connection, int mostWaiting) {
        this.connection = connection;
        this.mostWaiting = mostWaiting;
    }

    public void offer(Object key, String message) {
        synchronized (this) {
            if (writing) {
                waiting.put(key, message);
                if (waiting.size() > mostWaiting) {
                    waiting.clear();
                    LOG.debugf("closing %s: %d messages waiting for a slow client", connection.id(), mostWaiting);
                    connection.close().subscribe().with(ignored -> { }, failure -> { });
                }
                return;
            }
            writing = true;
        }
        write(message);
    }

    private void write(String message) {
        if (!connection.isOpen()) {
            synchronized (this) {
                waiting.clear();
                writing = false;
            }
            return;
        }
        connection.sendText(message).subscribe().with(ignored -> next(), failure -> {
            LOG.debugf("could not write to %s: %s", connection.id(), failure.getMessage());
            next();
        });
    }

    private void next() {
        String message;
        synchronized (this) {
            Iterator<String> oldest = waiting.values().iterator();
            if (!oldest.hasNext()) {
                writing = false;
                return;
            }
            message = oldest.next();
            oldest.remove();
        }
        write(message);
    }
}

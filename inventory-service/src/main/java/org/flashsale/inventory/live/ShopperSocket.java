package org.flashsale.inventory.live;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.jboss.logging.Logger;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;

import org.flashsale.inventory.QueueTicket;
import org.flashsale.inventory.security.Roles;
import org.flashsale.live.HoldEvent;

/**
 * A shopper's own hold events and queue tickets ({@link QueuePushes}). The upgrade request is authenticated like any API call (a shopper token as
 * {@code Authorization: Bearer}, which browsers send through the {@code Sec-WebSocket-Protocol} header); a shopper
 * only ever receives events of their own holds and their own tickets.
 * A slow client never makes the server queue without bound: each connection has at most one message being written;
 * what happens meanwhile waits as each hold's newest event and each product's newest ticket (an older state of the
 * same hold, or an older ticket of the same queue, is superseded). A client so far behind that more than
 * {@link #MOST_WAITING} of them wait is closed; it reconnects and reads its holds and tickets afresh.
 */
@WebSocket(path = "/ws/shopper")
@RolesAllowed(Roles.SHOPPER)
public class ShopperSocket {

    private static final Logger LOG = Logger.getLogger(ShopperSocket.class);
    static final int MOST_WAITING = 256;

    private final Map<UUID, Map<String, Outbox>> byShopper = new ConcurrentHashMap<>();
    private final ObjectMapper json;

    @Inject
    SecurityIdentity identity;

    public ShopperSocket(ObjectMapper json) {
        this.json = json;
    }

    @OnOpen
    public void onOpen(WebSocketConnection connection) {
        byShopper.computeIfAbsent(shopperOf(), id -> new ConcurrentHashMap<>())
                .put(connection.id(), new Outbox(connection));
    }

    @OnClose
    public void onClose(WebSocketConnection connection) {
        byShopper.computeIfPresent(shopperOf(), (id, connections) -> {
            connections.remove(connection.id());
            return connections.isEmpty() ? null : connections;
        });
    }

    /** The shoppers with at least one connection to this instance now. */
    public Set<UUID> connectedShoppers() {
        return byShopper.keySet();
    }

    public boolean isConnected(UUID shopperId) {
        return byShopper.containsKey(shopperId);
    }

    /** Sends the shopper's ticket of a product's queue to that shopper's connections, and to no one else. */
    public void deliver(UUID shopperId, QueueTicket ticket) {
        Map<String, Outbox> connections = byShopper.get(shopperId);
        if (connections == null) {
            return;
        }
        String message = Messages.encode(json, Messages.QueueMessage.of(ticket));
        QueueKey key = new QueueKey(ticket.productId());
        for (Outbox outbox : connections.values()) {
            outbox.offer(key, message);
        }
    }

    /** Sends the event to the connections of the shopper it belongs to, and to no one else. */
    public void deliver(HoldEvent event) {
        Map<String, Outbox> connections = byShopper.get(event.shopperId());
        if (connections == null) {
            return;
        }
        String message = Messages.encode(json, Messages.HoldMessage.of(event));
        for (Outbox outbox : connections.values()) {
            outbox.offer(event.id(), message);
        }
    }

    private UUID shopperOf() {
        return UUID.fromString(identity.getPrincipal().getName());
    }

    /** What a waiting ticket is kept under in an outbox (a hold's events are kept under the hold's id). */
    private record QueueKey(UUID productId) {
    }

    /**
     * One connection's messages: at most one being written, then each waiting hold's newest event and each queue's
     * newest ticket, oldest first.
     */
    private static final class Outbox {
        private final WebSocketConnection connection;
        private final LinkedHashMap<Object, String> waiting = new LinkedHashMap<>();
        private boolean writing;

        Outbox(WebSocketConnection connection) {
            this.connection = connection;
        }

        /** {@code key}: a hold's id, or a {@link QueueKey}; a newer message under the same key replaces the older. */
        void offer(Object key, String message) {
            synchronized (this) {
                if (writing) {
                    waiting.put(key, message);
                    if (waiting.size() > MOST_WAITING) {
                        waiting.clear();
                        LOG.debugf("closing %s: %d holds' events and tickets waiting for a slow client",
                                connection.id(), MOST_WAITING);
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
}

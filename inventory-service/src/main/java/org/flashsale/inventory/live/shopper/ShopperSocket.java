package org.flashsale.inventory.live.shopper;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;

import org.flashsale.inventory.live.shared.Messages;
import org.flashsale.inventory.live.shared.Outbox;
import org.flashsale.inventory.queue.QueueTicket;
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
                .put(connection.id(), new Outbox(connection, MOST_WAITING));
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
}

package org.flashsale.inventory.live;

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

import org.flashsale.inventory.security.Roles;
import org.flashsale.live.HoldEvent;

/**
 * A shopper's own hold events. The upgrade request is authenticated like any API call (a shopper token as
 * {@code Authorization: Bearer}, which browsers send through the {@code Sec-WebSocket-Protocol} header); a shopper
 * only ever receives events of their own holds.
 */
@WebSocket(path = "/ws/shopper")
@RolesAllowed(Roles.SHOPPER)
public class ShopperSocket {

    private final Map<UUID, Set<WebSocketConnection>> byShopper = new ConcurrentHashMap<>();
    private final ObjectMapper json;

    @Inject
    SecurityIdentity identity;

    public ShopperSocket(ObjectMapper json) {
        this.json = json;
    }

    @OnOpen
    public void onOpen(WebSocketConnection connection) {
        byShopper.computeIfAbsent(shopperOf(), id -> ConcurrentHashMap.newKeySet()).add(connection);
    }

    @OnClose
    public void onClose(WebSocketConnection connection) {
        byShopper.computeIfPresent(shopperOf(), (id, connections) -> {
            connections.remove(connection);
            return connections.isEmpty() ? null : connections;
        });
    }

    /** Sends the event to the connections of the shopper it belongs to, and to no one else. */
    public void deliver(HoldEvent event) {
        Set<WebSocketConnection> connections = byShopper.get(event.shopperId());
        if (connections == null) {
            return;
        }
        String message = Messages.encode(json, Messages.HoldMessage.of(event));
        for (WebSocketConnection connection : connections) {
            connection.sendText(message).subscribe().with(ignored -> { }, failure -> { });
        }
    }

    private UUID shopperOf() {
        return UUID.fromString(identity.getPrincipal().getName());
    }
}

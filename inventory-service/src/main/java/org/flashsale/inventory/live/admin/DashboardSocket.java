package org.flashsale.inventory.live.admin;

import jakarta.annotation.security.RolesAllowed;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;

import org.flashsale.inventory.security.Roles;

/**
 * The operator's live dashboard: the admin key on the upgrade request (as {@code Authorization: Bearer}, which
 * browsers send through {@code Sec-WebSocket-Protocol}), then the figures once per second.
 */
@WebSocket(path = "/ws/admin")
@RolesAllowed(Roles.ADMIN)
public class DashboardSocket {

    private final Dashboard dashboard;

    public DashboardSocket(Dashboard dashboard) {
        this.dashboard = dashboard;
    }

    @OnOpen
    public void onOpen(WebSocketConnection connection) {
        dashboard.open(connection);
    }

    @OnClose
    public void onClose(WebSocketConnection connection) {
        dashboard.close(connection);
    }
}

package org.flashsale.inventory.live;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/** Public live stock: a snapshot on connect, then each product's changes, coalesced. */
@WebSocket(path = "/ws/stock")
public class StockSocket {

    private final StockSubscribers subscribers;

    public StockSocket(StockSubscribers subscribers) {
        this.subscribers = subscribers;
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection) {
        return subscribers.open(connection);
    }

    @OnClose
    public void onClose(WebSocketConnection connection) {
        subscribers.close(connection);
    }
}

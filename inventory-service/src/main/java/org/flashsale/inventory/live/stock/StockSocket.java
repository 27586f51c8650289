package org.flashsale.inventory.live.stock;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;

/**
 * Public live stock: a snapshot on connect, then each product's changes, coalesced. Each watcher holds one of the
 * instance's {@code flashsale.live.max-watchers} slots ({@link WatcherAdmission}) from open to close.
 */
@WebSocket(path = "/ws/stock")
public class StockSocket {

    private final StockSubscribers subscribers;
    private final WatcherAdmission admission;

    public StockSocket(StockSubscribers subscribers, WatcherAdmission admission) {
        this.subscribers = subscribers;
        this.admission = admission;
    }

    @OnOpen
    @NonBlocking // on the connection's event loop, which its frames are written on
    public void onOpen(WebSocketConnection connection) {
        admission.opened(connection);
        subscribers.open(connection);
    }

    @OnClose
    @NonBlocking // on the connection's event loop, where its watcher leaves its loop's list
    public void onClose(WebSocketConnection connection) {
        subscribers.close(connection);
        admission.closed(connection);
    }
}

package org.flashsale.inventory.live;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * The global error handlers of every live stream for what a client's connection does: a frame Netty refuses (over
 * 64 KB, unmasked, a reserved opcode, a 200-byte ping, a bad close code, random bytes) or a connection reset, as
 * every phone on a train does. Netty has already closed the connection; there is nothing to fix on our side, so it
 * is DEBUG, not ERROR (unhandled, WebSockets Next logged two ERRORs with stack traces for each). Anything else is
 * still unhandled, so ours are still logged.
 */
@ApplicationScoped
public class BrokenConnections {

    private static final Logger LOG = Logger.getLogger(BrokenConnections.class);

    @OnError
    void badFrame(CorruptedWebSocketFrameException failure, WebSocketConnection connection) {
        LOG.debugf("live stream %s: client sent a bad frame: %s", connection.id(), failure.getMessage());
    }

    @OnError
    void lost(IOException failure, WebSocketConnection connection) {
        LOG.debugf("live stream %s: connection lost: %s", connection.id(), failure.getMessage());
    }
}

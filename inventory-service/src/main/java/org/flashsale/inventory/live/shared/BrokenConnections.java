package org.flashsale.inventory.live.shared;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

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
    /** What Vert.x's frame aggregator says when a fragment would take a message past max-message-size. */
    private static final String OVERFLOW = "to overflow max message size";
    private static final CloseReason MESSAGE_TOO_BIG = new CloseReason(1009, "message too big");

    @OnError
    public void badFrame(CorruptedWebSocketFrameException failure, WebSocketConnection connection) {
        LOG.debugf("live stream %s: client sent a bad frame: %s", connection.id(), failure.getMessage());
    }

    @OnError
    public void lost(IOException failure, WebSocketConnection connection) {
        LOG.debugf("live stream %s: connection lost: %s", connection.id(), failure.getMessage());
    }

    /**
     * A message over {@code quarkus.websockets-next.server.max-message-size}, sent as fragments each under the frame
     * cap (finished or not): Vert.x's frame aggregator refuses the fragment that would overflow it with an
     * {@code IllegalStateException}, which, unhandled, closed the connection with 1011 and an ERROR and its stack. It
     * is the client's doing: close 1009 (Message Too Big, RFC 6455 §7.4.1, what Netty answers a frame over the cap
     * with), at DEBUG. Any other {@code IllegalStateException} is a bug of ours: an ERROR and 1011, as before.
     */
    @OnError
    public Uni<Void> tooBig(IllegalStateException failure, WebSocketConnection connection) {
        String message = failure.getMessage();
        if (message == null || !message.contains(OVERFLOW)) {
            LOG.errorf(failure, "live stream %s: unexpected failure", connection.id());
            return connection.close(CloseReason.INTERNAL_SERVER_ERROR);
        }
        LOG.debugf("live stream %s: client sent a message over the limit: %s", connection.id(), message);
        return connection.isClosed() ? Uni.createFrom().voidItem() : connection.close(MESSAGE_TOO_BIG);
    }
}

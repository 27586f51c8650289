package org.flashsale.inventory.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One HTTP/1 connection's place on the wire, kept on its Netty channel: whether it is sending a request's header or
 * body, between requests or upgraded to a WebSocket; the deadline of what it is sending; and how many requests it has
 * sent that have not been answered. Only its channel's event loop touches it.
 */
final class WireState {

    static final AttributeKey<WireState> KEY = AttributeKey.valueOf("flashsale.wire");

    private static final Logger LOG = Logger.getLogger(WireState.class);

    enum Phase { HEADER, BODY, BETWEEN, UPGRADED }

    Phase phase = Phase.HEADER;
    /** Whether {@link RequestPacing} has seen a request of this connection (it is installed after the first). */
    boolean paced;
    int pending;
    boolean readHeld;
    private ScheduledFuture<?> deadline;

    static WireState of(Channel channel) {
        WireState state = channel.attr(KEY).get();
        if (state == null) {
            state = new WireState();
            channel.attr(KEY).set(state);
        }
        return state;
    }

    /** Closes {@code channel} unless {@link #disarm} comes first. */
    void arm(Channel channel, Duration timeout, String what) {
        disarm();
        deadline = channel.eventLoop().schedule(() -> {
            LOG.debugf("closing the connection of %s: it did not send %s within %s", channel.remoteAddress(), what, timeout);
            channel.close();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}

package org.flashsale.inventory.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * On the server's listening channel, before Netty hands an accepted connection to Vert.x: refuses one from an address
 * that already holds {@code max-connections-per-address} (closed at once, before any byte is read or anything logged
 * above DEBUG), and starts the first request's header clock on every other.
 */
@Sharable
final class AddressGate extends ChannelInboundHandlerAdapter {

    static final String NAME = "flashsale-address-gate";

    private static final Logger LOG = Logger.getLogger(AddressGate.class);

    private final ConcurrentMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    private final int maxPerAddress;
    private final HeaderClock clock;

    AddressGate(int maxPerAddress, HeaderClock clock) {
        this.maxPerAddress = maxPerAddress;
        this.clock = clock;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof Channel child) {
            InetAddress address = child.remoteAddress() instanceof InetSocketAddress peer ? peer.getAddress() : null;
            if (maxPerAddress > 0 && address != null) {
                if (!admit(address)) {
                    LOG.debugf("refusing a connection from %s: it holds %d already", address, maxPerAddress);
                    child.unsafe().closeForcibly();
                    return;
                }
                child.closeFuture().addListener(closed -> release(address));
            }
            child.pipeline().addFirst(HeaderClock.NAME, clock);
        }
        super.channelRead(ctx, msg);
    }

    private boolean admit(InetAddress address) {
        boolean[] admitted = { false };
        open.compute(address, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= maxPerAddress) {
                return count;
            }
            admitted[0] = true;
            return now + 1;
        });
        return admitted[0];
    }

    private void release(InetAddress address) {
        open.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
    }
}

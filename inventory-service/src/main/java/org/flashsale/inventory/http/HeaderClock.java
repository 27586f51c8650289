package org.flashsale.inventory.http;

import java.time.Duration;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * First in a connection's pipeline, before Netty's HTTP decoder: a request header's deadline runs from its first byte
 * (or from the connection's opening, for its first request), however slowly the rest trickles in. {@link RequestPacing},
 * after the decoder, stops it when the header is complete.
 */
@Sharable
final class HeaderClock extends ChannelInboundHandlerAdapter {

    static final String NAME = "flashsale-header-clock";

    private final Duration timeout;
    private final RequestPacing pacing;

    HeaderClock(Duration timeout, RequestPacing pacing) {
        this.timeout = timeout;
        this.pacing = pacing;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        // Vert.x has built the HTTP pipeline by now (at registration): pace it, and start the first header's clock.
        pacing.installOn(ctx.channel());
        WireState.of(ctx.channel()).arm(ctx.channel(), timeout, "a complete request header");
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        WireState state = ctx.channel().attr(WireState.KEY).get();
        boolean starts = state != null && state.phase == WireState.Phase.BETWEEN && msg instanceof ByteBuf bytes
                && bytes.isReadable();
        if (starts) {
            state.phase = WireState.Phase.HEADER;
        }
        super.channelRead(ctx, msg);
        // A header that came whole in these bytes has been seen by RequestPacing by now; only one still coming gets a
        // clock (so a request that arrives in one read costs no timer).
        if (starts && state.phase == WireState.Phase.HEADER) {
            state.arm(ctx.channel(), timeout, "a complete request header");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        WireState state = ctx.channel().attr(WireState.KEY).get();
        if (state != null) {
            state.disarm();
        }
        super.channelInactive(ctx);
    }
}

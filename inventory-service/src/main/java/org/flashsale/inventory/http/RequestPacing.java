package org.flashsale.inventory.http;

import java.time.Duration;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * After Netty's HTTP decoder and before Vert.x's handler: sees each request and each response of an HTTP/1 connection.
 * <ul>
 * <li>A request's header is complete: its clock ({@link HeaderClock}) stops, and its body's starts.</li>
 * <li>Pipelining: Vert.x answers a connection's requests one at a time and queues the rest without bound (a client
 * that writes a million requests makes the server read and hold them all). With {@code max-pipelined} requests read
 * and not answered, the socket is not read any more until one is answered.</li>
 * <li>A request the decoder flushes as the connection closes is not handed on: no one is there to answer it.</li>
 * <li>After a 101 the connection is a WebSocket and none of this applies.</li>
 * </ul>
 */
@Sharable
final class RequestPacing extends ChannelDuplexHandler {

    static final String NAME = "flashsale-request-pacing";
    /** Vert.x's HTTP/1 connection handler, last in the pipeline. */
    private static final String VERTX = "handler";

    private final Duration bodyTimeout;
    private final int maxPipelined;

    RequestPacing(Duration bodyTimeout, int maxPipelined) {
        this.bodyTimeout = bodyTimeout;
        this.maxPipelined = maxPipelined;
    }

    /** Puts this in front of Vert.x's handler of an HTTP/1 connection, once; false if it is not one. */
    boolean installOn(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(NAME) != null) {
            return true;
        }
        if (pipeline.get(VERTX) == null || pipeline.get("httpDecoder") == null) {
            return false;
        }
        pipeline.addBefore(VERTX, NAME, this);
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!ctx.channel().isActive() && msg instanceof HttpObject) {
            // What the decoder flushes as the connection closes (a request cut short): no one is there to answer, and
            // Vert.x, queueing it behind the answer in progress, would fail on it (a NullPointerException, logged as a
            // WARN with its stack, per connection).
            ReferenceCountUtil.release(msg);
            return;
        }
        WireState state = WireState.of(ctx.channel());
        if (state.phase != WireState.Phase.UPGRADED) {
            if (msg instanceof HttpRequest) {
                state.paced = true;
                if (++state.pending >= maxPipelined) {
                    hold(ctx, state);
                }
                if (msg instanceof LastHttpContent) {
                    state.phase = WireState.Phase.BETWEEN;
                    state.disarm();
                } else {
                    state.phase = WireState.Phase.BODY;
                    state.arm(ctx.channel(), bodyTimeout, "its request body");
                }
            } else if (msg instanceof LastHttpContent && state.phase == WireState.Phase.BODY) {
                state.phase = WireState.Phase.BETWEEN;
                state.disarm();
            }
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        WireState state = WireState.of(ctx.channel());
        if (state.phase != WireState.Phase.UPGRADED) {
            HttpResponseStatus status = msg instanceof HttpResponse response ? response.status() : null;
            if (status != null && status.code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                state.phase = WireState.Phase.UPGRADED;
                state.disarm();
                release(ctx, state);
            } else if (msg instanceof LastHttpContent
                    && (status == null || status.codeClass() != HttpStatusClass.INFORMATIONAL)) {
                // The end of an answer (a 100 Continue or 103 Early Hints is not one: the answer is still to come).
                state.pending = Math.max(0, state.pending - 1);
                if (state.pending < maxPipelined) {
                    release(ctx, state);
                }
            }
        }
        super.write(ctx, msg, promise);
    }

    /** Vert.x turns auto-read back on when it resumes a connection: a read asked for while held is not passed on. */
    @Override
    public void read(ChannelHandlerContext ctx) throws Exception {
        WireState state = WireState.of(ctx.channel());
        if (state.readHeld) {
            return;
        }
        super.read(ctx);
    }

    /** Stops reading the socket (Netty reads as long as auto-read is on, whatever {@link #read} does). */
    private static void hold(ChannelHandlerContext ctx, WireState state) {
        state.readHeld = true;
        ctx.channel().config().setAutoRead(false);
    }

    private static void release(ChannelHandlerContext ctx, WireState state) {
        if (state.readHeld) {
            state.readHeld = false;
            ctx.channel().config().setAutoRead(true);
            // Also when auto-read was already back on (Vert.x resumed meanwhile): its read was not passed on.
            ctx.read();
        }
    }
}

package org.flashsale.inventory.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;

import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What one connection, and one client address, may hold of the server (see README, <i>Connections and timeouts</i>):
 * a deadline for each request's header and body, a bound on the requests read and not answered, a cap on the
 * connections of one address; and no work for a request whose connection is gone.
 * <p>
 * These live on the connections' Netty channels ({@link AddressGate}, {@link HeaderClock}, {@link RequestPacing}):
 * Quarkus creates the HTTP server itself and exposes neither it nor its channels, and has no setting for any of them.
 * The first request the server routes reveals its listening channel ({@code channel().parent()}), where the
 * {@link AddressGate} then sees every connection as it is accepted. So that no connection comes before it, the
 * service sends itself that request as soon as the server listens ({@link #prime}); only with a random port (the
 * tests') does the first client's request do it.
 */
@ApplicationScoped
public class ConnectionGuard {

    /** First of all routes. */
    static final int ORDER = -500;

    private static final Logger LOG = Logger.getLogger(ConnectionGuard.class);

    private static final String ANY_ADDRESS = "0.0.0.0";

    private final Vertx vertx;
    private final RequestPacing pacing;
    private final HeaderClock clock;
    private final AddressGate gate;

    public ConnectionGuard(HttpConfig config, Vertx vertx) {
        this.vertx = vertx;
        this.pacing = new RequestPacing(config.bodyTimeout(), config.maxPipelined());
        this.clock = new HeaderClock(config.headerTimeout(), pacing);
        this.gate = new AddressGate(config.maxConnectionsPerAddress(), clock);
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::route);
    }

    /** One request to ourselves as the server starts listening (an asynchronous event), so the gate comes first. */
    void prime(@ObservesAsync HttpServerStart started) {
        int port = started.options().getPort();
        if (port <= 0) {
            return;
        }
        String host = started.options().getHost();
        String target = host == null || host.equals(ANY_ADDRESS) ? "127.0.0.1" : host.equals("::") ? "::1" : host;
        NetClient client = vertx.createNetClient();
        client.connect(port, target)
                .onSuccess(socket -> {
                    LOG.debugf("priming the connection gate through %s:%d", target, port);
                    socket.closeHandler(closed -> client.close());
                    socket.write("HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
                })
                .onFailure(failure -> {
                    LOG.warnf("could not reach %s:%d to put the connection gate in place (it will be at the first "
                            + "request): %s", target, port, failure);
                    client.close();
                });
    }

    private void route(RoutingContext context) {
        if (context.request().connection() instanceof ConnectionBase connection) {
            Channel channel = connection.channel();
            if (!channel.isActive()) {
                // A pipelined request Vert.x had queued for a client that has gone (its response does not know it is
                // closed: only the one in progress was told). Answering nothing ends the queue here.
                LOG.debugf("dropping %s %s: its connection is closed", context.request().method(),
                        context.request().path());
                return;
            }
            watch(channel);
        }
        context.next();
    }

    private void watch(Channel channel) {
        Channel server = channel.parent();
        if (server != null && server.pipeline().get(AddressGate.NAME) == null) {
            synchronized (this) {
                if (server.pipeline().get(AddressGate.NAME) == null) {
                    server.pipeline().addFirst(AddressGate.NAME, gate);
                }
            }
        }
        WireState state = WireState.of(channel);
        if (state.paced) {
            return;
        }
        // This request came before RequestPacing was in place: a connection accepted before the gate was.
        state.paced = true;
        state.disarm();
        ChannelPipeline pipeline = channel.pipeline();
        if (pacing.installOn(channel)) {
            state.pending = 1;
            state.phase = WireState.Phase.BETWEEN;
            if (pipeline.get(HeaderClock.NAME) == null) {
                pipeline.addFirst(HeaderClock.NAME, clock);
            }
        } else {
            state.phase = WireState.Phase.UPGRADED;
        }
    }
}

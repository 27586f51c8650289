package org.flashsale.inventory.live.shared;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * Sets {@code flashsale.live.socket-send-buffer} on the HTTP server's connections. Quarkus has no setting of its own
 * for SO_SNDBUF; a customizer of the server's options is the framework's hook for one.
 */
@ApplicationScoped
public class SocketSendBuffer implements HttpServerOptionsCustomizer {

    private final LiveConfig config;

    public SocketSendBuffer(LiveConfig config) {
        this.config = config;
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        if (config.socketSendBuffer() > 0) {
            options.setSendBufferSize(config.socketSendBuffer());
        }
    }
}

package org.flashsale.inventory.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.http.HttpServerOptions;

import org.flashsale.inventory.live.shared.SocketSendBuffer;
import org.flashsale.testsupport.WithPostgres;

@QuarkusTest
@WithPostgres
class SocketSendBufferTest {

    @Inject
    SocketSendBuffer sendBuffer;

    @Test
    void theServersConnectionsGetTheConfiguredSendBufferInsteadOfTheKernelsAutoTuning() {
        HttpServerOptions options = new HttpServerOptions();
        assertEquals(HttpServerOptions.DEFAULT_SEND_BUFFER_SIZE, options.getSendBufferSize()); // -1: the kernel's
        sendBuffer.customizeHttpServer(options);
        assertEquals(65536, options.getSendBufferSize());
    }
}

package org.flashsale.inventory.http;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The HTTP wire under {@code flashsale.http.*} (environment {@code FLASHSALE_HTTP_*}): what our own guards refuse with
 * a problem document, below the limits Netty enforces itself ({@code quarkus.http.limits.*}, set above these), and
 * what one connection or one client address may hold. Per inventory-service instance.
 */
@ConfigMapping(prefix = "flashsale.http")
public interface HttpConfig {

    /** Longest request line (method, target and version, without CRLF): past it, 414 {@code URI_TOO_LONG}. */
    @WithDefault("4096")
    @Min(256)
    int maxRequestLine();

    /** Largest header block (each line's name, ": " and value, without CRLF): past it, 431 {@code HEADERS_TOO_LARGE}. */
    @WithDefault("20480")
    @Min(1024)
    int maxHeaderSize();

    /**
     * How long a client has to send a request's whole header: from its first byte (from the connection's opening for
     * its first request). Past it the connection is closed, without an answer.
     */
    @WithDefault("10s")
    Duration headerTimeout();

    /** How long a client has to send a request's whole body, from the end of its header; then as above. */
    @WithDefault("10s")
    Duration bodyTimeout();

    /**
     * Most connections one client address may hold open at once (TCP peer address: behind a balancer, its own); the
     * next is closed as soon as it is accepted. {@code 0}: no cap.
     */
    @WithDefault("200")
    @Min(0)
    int maxConnectionsPerAddress();

    /** Requests one connection may have read and not yet answered; at it, the server stops reading that socket. */
    @WithDefault("16")
    @Min(1)
    @Max(1024)
    int maxPipelined();
}

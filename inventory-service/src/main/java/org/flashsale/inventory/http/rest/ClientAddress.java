package org.flashsale.inventory.http.rest;

import io.vertx.core.http.HttpServerRequest;

/**
 * The client's address, as rate limits key it. Behind a reverse proxy, enable Quarkus' forwarded-header support
 * ({@code quarkus.http.proxy.proxy-address-forwarding=true} and a trusted-proxy list) so this is the real client.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(HttpServerRequest request) {
        var address = request.remoteAddress();
        return address == null ? "unknown" : address.hostAddress();
    }
}

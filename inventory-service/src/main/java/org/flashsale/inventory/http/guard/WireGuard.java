package org.flashsale.inventory.http.guard;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import org.flashsale.inventory.http.HttpConfig;
import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.ProblemWriter;

/**
 * The request line and the header block, before anything else reads them:
 * <ul>
 * <li>a version other than HTTP/1.0 and HTTP/1.1 ({@code HTTP/2.0}, {@code HTTP/1.2}, {@code HTTP/9.9}) is 505
 * {@code HTTP_VERSION_NOT_SUPPORTED} (Netty parses any {@code HTTP/x.y}; Vert.x answered it as if it were 1.1);</li>
 * <li>a request line over {@code flashsale.http.max-request-line} is 414 {@code URI_TOO_LONG}, a header block over
 * {@code flashsale.http.max-header-size} 431 {@code HEADERS_TOO_LARGE}. Netty's own limits
 * ({@code quarkus.http.limits.max-initial-line-length}, {@code max-header-size}) must sit above these, as they answer
 * with an empty body: the application refuses to start otherwise.</li>
 * </ul>
 * Each answer closes the connection: what follows such a request on it is not worth reading.
 */
@ApplicationScoped
public class WireGuard {

    /** Before CORS (-300) and everything after it. */
    static final int ORDER = -400;

    private final HttpConfig config;
    private final ObjectMapper json;

    public WireGuard(HttpConfig config, ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.limits.max-initial-line-length") int nettyRequestLine,
            @ConfigProperty(name = "quarkus.http.limits.max-header-size") MemorySize nettyHeaderSize) {
        if (config.maxRequestLine() >= nettyRequestLine || config.maxHeaderSize() >= nettyHeaderSize.asLongValue()) {
            throw new IllegalStateException("flashsale.http.max-request-line and max-header-size must be below "
                    + "quarkus.http.limits.max-initial-line-length and max-header-size, or Netty answers first, "
                    + "with an empty body");
        }
        this.config = config;
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::guard);
    }

    private void guard(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.version() == null) {
            refuse(context, ErrorCode.HTTP_VERSION_NOT_SUPPORTED, "this server speaks HTTP/1.1 and HTTP/1.0 only");
        } else if (requestLineLength(request) > config.maxRequestLine()) {
            refuse(context, ErrorCode.URI_TOO_LONG,
                    "the request line may be at most " + config.maxRequestLine() + " bytes");
        } else if (headerSize(request) > config.maxHeaderSize()) {
            refuse(context, ErrorCode.HEADERS_TOO_LARGE,
                    "the request headers may be at most " + config.maxHeaderSize() + " bytes");
        } else {
            context.next();
        }
    }

    /** As Netty counts it: method, target and version with the two spaces between them. */
    private static int requestLineLength(HttpServerRequest request) {
        return request.method().name().length() + 1 + request.uri().length() + 1 + "HTTP/1.1".length();
    }

    /** As Netty counts it, near enough: each line's name, ": " and value. */
    private static long headerSize(HttpServerRequest request) {
        long size = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            size += header.getKey().length() + 2 + header.getValue().length();
        }
        return size;
    }

    private void refuse(RoutingContext context, ErrorCode code, String detail) {
        context.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        context.addEndHandler(sent -> context.request().connection().close());
        ProblemWriter.write(context, json, code, detail);
    }
}

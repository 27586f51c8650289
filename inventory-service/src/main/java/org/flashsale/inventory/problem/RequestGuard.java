package org.flashsale.inventory.problem;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What is refused before any route sees the request, written by the same {@link ProblemWriter} as {@link ProblemMapper}:
 * <ul>
 * <li>a body without a {@code Content-Type} (415 {@code UNSUPPORTED_MEDIA_TYPE});</li>
 * <li>a path that is not canonical (dot segments, encoded slashes or dots, NUL, backslashes): Vert.x would resolve
 * {@code /api/../q/health} to {@code /q/health}; we serve nothing there (404 {@code NOT_FOUND}, as for a
 * malformed id) instead of guessing;</li>
 * <li>a body over {@code quarkus.http.limits.max-body-size}: Quarkus itself answers such a request with an empty 413,
 * so this route runs just before Quarkus's own check and answers 413 {@code PAYLOAD_TOO_LARGE}. A chunked body (no
 * {@code Content-Length}) is read here up to the limit and handed on, so its size is checked the same way.</li>
 * </ul>
 */
@ApplicationScoped
public class RequestGuard {

    /** Before Quarkus's own body-size check, after its response headers (security headers, CORS). */
    static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1;

    private final long maxBodySize;
    private final ObjectMapper json;

    public RequestGuard(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
            ObjectMapper json) {
        this.maxBodySize = maxBodySize.asLongValue();
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::guard);
    }

    private void guard(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (!isCanonical(request.path())) {
            reject(context, ErrorCode.NOT_FOUND, "there is nothing at this path; "
                    + "no path has dot segments, encoded slashes or dots, backslashes or NUL");
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean chunked = request.headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true);
        boolean hasBody = chunked || (length != null && !length.trim().equals("0"));
        if (hasBody && request.getHeader(HttpHeaders.CONTENT_TYPE) == null) {
            // Quarkus REST would read an untyped body as JSON; a body must say what it is.
            reject(context, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
        } else if (length != null && Long.parseLong(length.trim()) > maxBodySize) {
            tooLarge(context);
        } else if (chunked && !request.isEnded()) {
            readChunked(context);
        } else {
            context.next();
        }
    }

    /**
     * Reads a body of unknown length up to the limit. Quarkus REST then takes it from the routing context (as it
     * does after Vert.x's own BodyHandler), which is what the deprecated {@code setBody} is still for in Vert.x 4.
     */
    @SuppressWarnings("deprecation")
    private void readChunked(RoutingContext context) {
        HttpServerRequest request = context.request();
        Buffer body = Buffer.buffer();
        boolean[] refused = { false };
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > maxBodySize) {
                refused[0] = true;
                tooLarge(context);
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(done -> {
            if (!refused[0]) {
                context.setBody(body);
                context.next();
            }
        });
        request.resume();
    }

    private void tooLarge(RoutingContext context) {
        // As Quarkus does: answer at once and close, rather than read a body we will not use.
        context.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        context.response().endHandler(sent -> context.request().connection().close());
        reject(context, ErrorCode.PAYLOAD_TOO_LARGE, "the request body may be at most " + maxBodySize + " bytes");
    }

    private void reject(RoutingContext context, ErrorCode code, String detail) {
        ProblemWriter.write(context, json, code, detail);
    }

    static boolean isCanonical(String rawPath) {
        if (rawPath == null || rawPath.indexOf('\\') >= 0) {
            return false;
        }
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%2e") || lower.contains("%00")) {
            return false;
        }
        for (String segment : rawPath.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}

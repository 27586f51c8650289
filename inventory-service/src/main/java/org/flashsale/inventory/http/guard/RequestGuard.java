package org.flashsale.inventory.http.guard;

import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import org.flashsale.inventory.http.json.JsonMediaType;
import org.flashsale.inventory.http.json.Utf8OnlyInput;
import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.ProblemMapper;
import org.flashsale.inventory.http.problem.ProblemWriter;

/**
 * What is refused before any route sees the request, written by the same {@link ProblemWriter} as {@link ProblemMapper}:
 * <ul>
 * <li>a body that is not UTF-8 JSON ({@link JsonMediaType}), or comes with a transfer coding other than chunked or a
 * content coding (415 {@code UNSUPPORTED_MEDIA_TYPE}; a UTF-16 or UTF-32 body is refused by {@link Utf8OnlyInput});</li>
 * <li>a path that is not canonical (dot segments, encoded slashes or dots, NUL, backslashes): Vert.x would resolve
 * {@code /api/../q/health} to {@code /q/health}; we serve nothing there (404 {@code NOT_FOUND}, as for a
 * malformed id) instead of guessing;</li>
 * <li>a method other than GET, HEAD or OPTIONS on {@code /q/*} (405 {@code METHOD_NOT_ALLOWED});</li>
 * <li>a body over {@code quarkus.http.limits.max-body-size}: Quarkus itself answers such a request with an empty 413,
 * so this route runs just before Quarkus's own check and answers 413 {@code PAYLOAD_TOO_LARGE}. Every body is read
 * here up to the limit and handed on when it is chunked, so its size is checked the same way whatever its framing.</li>
 * </ul>
 */
@ApplicationScoped
public class RequestGuard {

    /** Before Quarkus's own body-size check, after its response headers (security headers, CORS). */
    static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1;

    private static final String CHUNKED = "chunked";
    private static final String MANAGEMENT = "/q/";
    private static final Set<HttpMethod> READ_ONLY = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

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
        if (request.path().startsWith(MANAGEMENT) && !READ_ONLY.contains(request.method())) {
            // Health, metrics, the document and Swagger UI are read-only; their handlers answer any method otherwise.
            context.response().putHeader(HttpHeaders.ALLOW, "GET, HEAD, OPTIONS");
            reject(context, ErrorCode.METHOD_NOT_ALLOWED, "this path does not accept that method");
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        String framing = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
        boolean hasBody = framing != null || (length != null && !length.trim().equals("0"));
        if (!hasBody) {
            context.next();
        } else if (framing != null && !framing.trim().equalsIgnoreCase(CHUNKED)) {
            // "gzip, chunked", "identity, chunked": a coding we do not undo would hand its bytes to the JSON reader.
            reject(context, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body with no transfer coding but chunked");
        } else if (isEncoded(request.getHeader(HttpHeaders.CONTENT_ENCODING))) {
            reject(context, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body without a Content-Encoding");
        } else if (!JsonMediaType.isJson(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            // Quarkus REST reads an untyped body, */* or application/* as JSON, and any charset it can name.
            reject(context, ErrorCode.UNSUPPORTED_MEDIA_TYPE, JsonMediaType.ONLY);
        } else if (length != null && Long.parseLong(length.trim()) > maxBodySize) {
            tooLarge(context);
        } else if (framing != null && !request.isEnded()) {
            readChunked(context);
        } else {
            context.next();
        }
    }

    private static boolean isEncoded(String contentEncoding) {
        return contentEncoding != null && !contentEncoding.trim().equalsIgnoreCase("identity");
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

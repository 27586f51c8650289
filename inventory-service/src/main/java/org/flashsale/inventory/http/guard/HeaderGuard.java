package org.flashsale.inventory.http.guard;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.ProblemWriter;

/**
 * Refuses, before anyone reads them, the headers that carry meaning when they are ambiguous: {@code Authorization},
 * {@code Idempotency-Key} or {@code Content-Type} sent twice (we would read the first, a proxy may read the last), and
 * an {@code Idempotency-Key} that is present but empty (HTTP trims a value of spaces to empty; ignoring it would let
 * two identical requests both take effect), and an HTTP/1.1 request without {@code Host}, with two (RFC 9112 §3.2) or
 * with one that is not {@code host[:port]} (RFC 9110 §7.2: a name, an IPv4 address or a bracketed IPv6 literal, a port
 * of at most 65535). Each is 400 {@code VALIDATION} naming the header.
 */
@ApplicationScoped
public class HeaderGuard {

    /** After Quarkus's live-stream header propagation (order -220), before authentication (-200). */
    static final int ORDER = -210;
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final String HOST = "Host";
    private static final List<String> SINGLE = List.of(HOST, "Authorization", IDEMPOTENCY_KEY, "Content-Type");
    /** RFC 3986's host (an IP literal or a reg-name of unreserved, sub-delims and %-escapes) and optional port. */
    private static final Pattern HOST_AND_PORT = Pattern.compile("(?:\\[(?:[0-9A-Fa-f:.]+|v[0-9A-Fa-f]+\\.[-\\w.~!$&'()*+,;=:]+)\\]"
            + "|(?:[-\\w.~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*)(?::([0-9]{0,5}))?");
    private static final int MAX_PORT = 65_535;
    private static final String HOST_FORM = "must be host[:port] with a port up to 65535";

    private static final int BAD_REQUEST = 400;

    private final ObjectMapper json;

    public HeaderGuard(ObjectMapper json) {
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::guard).failureHandler(this::withoutHost);
    }

    /**
     * Vert.x Web fails an HTTP/1.1 request without a {@code Host} it can read (absent or malformed) before any handler
     * runs (400); Quarkus's error handler would answer it with its own JSON and log an ERROR. It is a bad request like
     * any other header's.
     */
    private void withoutHost(RoutingContext context) {
        HttpServerRequest request = context.request();
        String host = request.getHeader(HttpHeaders.HOST);
        if (context.statusCode() != BAD_REQUEST || request.version() != HttpVersion.HTTP_1_1
                || context.response().headWritten()) {
            context.next();
        } else if (host == null) {
            refuse(context, HOST, "is required in HTTP/1.1");
        } else if (!isHostAndPort(host)) {
            refuse(context, HOST, HOST_FORM);
        } else {
            context.next();
        }
    }

    static boolean isHostAndPort(String host) {
        Matcher matcher = HOST_AND_PORT.matcher(host);
        if (!matcher.matches()) {
            return false;
        }
        String port = matcher.group(1);
        return port == null || port.isEmpty() || Integer.parseInt(port) <= MAX_PORT;
    }

    private void guard(RoutingContext context) {
        MultiMap headers = context.request().headers();
        for (String name : SINGLE) {
            if (headers.getAll(name).size() > 1) {
                refuse(context, name, "must be sent once");
                return;
            }
        }
        String host = headers.get(HOST);
        if (host != null && !isHostAndPort(host)) {
            refuse(context, HOST, HOST_FORM);
            return;
        }
        String key = headers.get(IDEMPOTENCY_KEY);
        if (key != null && key.isBlank()) {
            refuse(context, IDEMPOTENCY_KEY, "must be 1 to 200 printable characters when sent");
            return;
        }
        context.next();
    }

    private void refuse(RoutingContext context, String header, String message) {
        String field = header.equals(IDEMPOTENCY_KEY) ? "idempotencyKey" : header;
        ProblemWriter.write(context, json, ErrorCode.VALIDATION, header + " " + message,
                Map.of("violations", List.of(Map.of("field", field, "message", message))));
    }
}

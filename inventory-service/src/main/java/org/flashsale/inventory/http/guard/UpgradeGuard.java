package org.flashsale.inventory.http.guard;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.ProblemWriter;

/**
 * Refuses a live-stream upgrade whose header carrier is malformed, before WebSockets Next reads it. Browsers cannot
 * set headers on a WebSocket, so they send {@code Authorization} as a subprotocol
 * {@code quarkus-http-upgrade#Authorization#Bearer <token>} (URI-encoded) beside a real one; Quarkus's own reader of
 * that carrier answers anything else (the carrier alone, two parts, a bad %-escape, a header name with a space) with
 * a 500 and two ERROR lines. Here those are 400 {@code VALIDATION}. The carrier may carry {@code Authorization} only,
 * once: nothing else of an upgrade is for a client to set that way.
 */
@ApplicationScoped
public class UpgradeGuard {

    /** Before Quarkus's header propagation (a filter of priority 220, so order -220), after CORS (-300). */
    static final int ORDER = -230;
    static final String CARRIER = "quarkus-http-upgrade";
    private static final String PROTOCOL_HEADER = "Sec-WebSocket-Protocol";
    private static final Pattern VALUE = Pattern.compile("[\\x20-\\x7E]+");

    private final ObjectMapper json;

    public UpgradeGuard(ObjectMapper json) {
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route("/ws/*").order(ORDER).handler(this::guard);
    }

    private void guard(RoutingContext context) {
        List<String> offers = context.request().headers().getAll(PROTOCOL_HEADER).stream()
                .flatMap(header -> List.of(header.split(",")).stream())
                .map(String::trim)
                .toList();
        String problem = problemWith(offers);
        if (problem == null) {
            context.next();
        } else {
            ProblemWriter.write(context, json, ErrorCode.VALIDATION, problem, Map.of("violations",
                    List.of(Map.of("field", PROTOCOL_HEADER, "message", problem))));
        }
    }

    /** What is wrong with the offered subprotocols, or null. */
    static String problemWith(List<String> offers) {
        List<String> carriers = offers.stream().filter(offer -> offer.startsWith(CARRIER)).toList();
        if (carriers.isEmpty()) {
            return null;
        }
        if (carriers.size() > 1) {
            return "send at most one " + CARRIER + " carrier";
        }
        if (carriers.size() == offers.size()) {
            return "offer a subprotocol (bearer-token-carrier) beside the " + CARRIER + " carrier";
        }
        String decoded;
        try {
            decoded = URLDecoder.decode(carriers.get(0), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "the " + CARRIER + " carrier is not URI-encoded";
        }
        String[] parts = decoded.split("#", -1);
        if (parts.length != 3 || !parts[0].equals(CARRIER) || !parts[1].equalsIgnoreCase("Authorization")
                || !VALUE.matcher(parts[2]).matches()) {
            return "the carrier must be " + CARRIER + "#Authorization#Bearer <token>, URI-encoded";
        }
        return null;
    }
}

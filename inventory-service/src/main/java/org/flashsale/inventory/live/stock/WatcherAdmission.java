package org.flashsale.inventory.live.stock;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.Problem;
import org.flashsale.inventory.http.problem.ProblemWriter;
import org.flashsale.inventory.live.shared.LiveConfig;

/**
 * Admission to {@code /ws/stock}: at most {@code flashsale.live.max-watchers} watchers per instance. A slot is taken
 * atomically at the HTTP layer, before WebSockets Next accepts the upgrade, so two upgrades racing for the last slot
 * cannot both get it; past the cap the upgrade is answered 503 {@code OVERLOADED} with {@code Retry-After} and a
 * problem body. The slot travels with the upgrade ({@link StockAdmissionCheck} puts it in the connection's user
 * data), becomes the watcher's on open and is given back on close. An upgrade that has not opened within
 * {@link #UPGRADE_TIMEOUT_MILLIS} (refused further on, a broken handshake) gives its slot back by itself.
 */
@ApplicationScoped
public class WatcherAdmission {

    private static final Logger LOG = Logger.getLogger(WatcherAdmission.class);
    /** After the upgrade guard (-230), before Quarkus's header propagation (-220) and WebSockets Next. */
    static final int ORDER = -225;
    static final String PATH = "/ws/stock";
    /**
     * Whole seconds a refused watcher is told to wait. Slots free up only as watchers leave, which takes far longer
     * than a second; a refused page loses nothing meanwhile (it reads GET /api/products), and a longer wait spreads
     * a refused crowd's retries instead of having all of it knock every second.
     */
    static final long RETRY_AFTER_SECONDS = 10;
    static final long UPGRADE_TIMEOUT_MILLIS = 10_000;
    static final UserData.TypedKey<Slot> SLOT = new UserData.TypedKey<>("flashsale.watcher-slot");

    private final AtomicInteger watchers = new AtomicInteger();
    private final Map<HttpServerRequest, Slot> upgrading = new ConcurrentHashMap<>();
    private final int max;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final Counter refused;

    public WatcherAdmission(LiveConfig config, ObjectMapper json, Vertx vertx, MeterRegistry registry) {
        this.max = config.maxWatchers();
        this.json = json;
        this.vertx = vertx;
        registry.gauge("flashsale.live.watchers", watchers);
        this.refused = Counter.builder("flashsale.live.watchers.refused")
                .description("Upgrades to /ws/stock refused because the instance held flashsale.live.max-watchers")
                .register(registry);
    }

    void install(@Observes Router router) {
        router.route(PATH).order(ORDER).handler(this::admit);
    }

    /** Watchers holding a slot now (open, or upgrading). */
    public int watchers() {
        return watchers.get();
    }

    private void admit(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (!request.headers().contains(HttpHeaders.UPGRADE)) {
            context.next();
            return;
        }
        Slot slot = reserve();
        if (slot == null) {
            refused.increment();
            LOG.debugf("refused a /ws/stock upgrade from %s: %d watchers", request.remoteAddress(), max);
            ProblemWriter.write(context, json, ErrorCode.OVERLOADED, "this instance holds its maximum of " + max
                    + " live watchers: read GET /api/products meanwhile and try again later",
                    Map.of(Problem.RETRY_AFTER_SECONDS, RETRY_AFTER_SECONDS));
            return;
        }
        upgrading.put(request, slot);
        vertx.setTimer(UPGRADE_TIMEOUT_MILLIS, id -> {
            upgrading.remove(request);
            slot.expire();
        });
        context.next();
    }

    /** The slot the HTTP layer reserved for this upgrade, or (when it reserved none) one taken now, or null if full. */
    Slot claim(HttpServerRequest request) {
        Slot slot = upgrading.remove(request);
        return slot != null ? slot : reserve();
    }

    void opened(WebSocketConnection connection) {
        Slot slot = connection.userData().get(SLOT);
        if (slot != null) {
            slot.open();
        }
    }

    void closed(WebSocketConnection connection) {
        Slot slot = connection.userData().get(SLOT);
        if (slot != null) {
            slot.close();
        }
    }

    private Slot reserve() {
        int now;
        do {
            now = watchers.get();
            if (max > 0 && now >= max) {
                return null;
            }
        } while (!watchers.compareAndSet(now, now + 1));
        return new Slot();
    }

    /** One watcher's place in the count: taken once, given back once. */
    final class Slot {
        private State state = State.RESERVED;

        /** The watcher opened: the slot is its own until it closes. */
        synchronized void open() {
            if (state == State.EXPIRED) {
                // The upgrade took longer than the timeout; the watcher counts again, even past the cap (documented).
                watchers.incrementAndGet();
            }
            if (state != State.CLOSED) {
                state = State.OPEN;
            }
        }

        synchronized void close() {
            if (state == State.RESERVED || state == State.OPEN) {
                watchers.decrementAndGet();
            }
            state = State.CLOSED;
        }

        /** The upgrade has not opened in time: the slot goes back. */
        synchronized void expire() {
            if (state == State.RESERVED) {
                watchers.decrementAndGet();
                state = State.EXPIRED;
            }
        }
    }

    private enum State { RESERVED, OPEN, EXPIRED, CLOSED }
}

package org.flashsale.inventory.live.shared;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OpenConnections;
import io.vertx.core.Vertx;

/**
 * At shutdown, every live stream is closed with 1001 (Going Away), so browsers reconnect at once and, through the
 * balancer, reach another instance and resync from its snapshot. Quarkus' pre-shutdown delay
 * ({@code quarkus.shutdown.delay}) turns readiness DOWN first and keeps serving while the balancer takes this instance
 * out; the streams are closed a second before its end, when a reconnect no longer lands here. Without a delay they
 * are closed at the shutdown event.
 */
@ApplicationScoped
public class GoingAway {

    static final CloseReason GOING_AWAY = new CloseReason(1001, "server going away");

    private static final Logger LOG = Logger.getLogger(GoingAway.class);
    private static final long MARGIN_MILLIS = 1000;

    private final OpenConnections connections;
    private final Vertx vertx;
    private final Optional<Duration> delay;
    private final AtomicBoolean closed = new AtomicBoolean();

    public GoingAway(OpenConnections connections, Vertx vertx,
            @ConfigProperty(name = "quarkus.shutdown.delay") Optional<Duration> delay) {
        this.connections = connections;
        this.vertx = vertx;
        this.delay = delay;
    }

    void delayStarted(@Observes ShutdownDelayInitiatedEvent event) {
        long millis = delay.map(Duration::toMillis).orElse(0L);
        // A second before the delay ends (half of it, if shorter): at its very end the server may close first, and
        // Vert.x closes what is still open with 1000 (Normal Closure), which browsers do not take as "go elsewhere".
        long at = millis - Math.min(MARGIN_MILLIS, millis / 2);
        if (at > 0) {
            vertx.setTimer(at, id -> closeAll());
        } else {
            closeAll();
        }
    }

    void stopping(@Observes ShutdownEvent event) {
        closeAll();
    }

    private void closeAll() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        int[] count = { 0 };
        connections.forEach(connection -> {
            count[0]++;
            connection.close(GOING_AWAY).subscribe().with(done -> {
            }, failure -> LOG.debugf("closing a live stream at shutdown: %s", failure.toString()));
        });
        if (count[0] > 0) {
            LOG.infof("closed %d live streams with 1001 (going away)", count[0]);
        }
    }
}

package org.flashsale.inventory.live.shared;

import java.lang.reflect.Method;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.vertx.http.runtime.filters.QuarkusRequestWrapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Takes a live-stream upgrade out of the requests Quarkus' graceful shutdown waits for. Quarkus counts every request
 * until its response ends; an upgraded one never ends (Vert.x takes the connection over), so with
 * {@code quarkus.shutdown.timeout} set, one open WebSocket made every shutdown wait the whole timeout and end with an
 * ERROR. Live streams have their own drain ({@link GoingAway}: closed with 1001); plain requests, reserves waiting in
 * the group commit among them, are still waited for. Quarkus 3.32 offers no setting for this: the wrapper's
 * {@code done()} is what its own response end calls, reached here by reflection (once, at start).
 */
@ApplicationScoped
@RegisterForReflection(targets = QuarkusRequestWrapper.class)
public class UpgradesLeaveShutdownCount {

    /** Before every other route of /ws/* (UpgradeGuard is -230). */
    static final int ORDER = -1000;

    private static final Logger LOG = Logger.getLogger(UpgradesLeaveShutdownCount.class);

    private final Method done = doneMethod();

    void install(@Observes Router router) {
        if (done != null) {
            router.route("/ws/*").order(ORDER).handler(this::release);
        }
    }

    private void release(RoutingContext context) {
        if ("websocket".equalsIgnoreCase(context.request().getHeader("Upgrade"))) {
            QuarkusRequestWrapper wrapper = QuarkusRequestWrapper.get(context.request());
            if (wrapper != null) {
                try {
                    done.invoke(wrapper);
                } catch (ReflectiveOperationException e) {
                    LOG.debugf("could not release an upgrade from the shutdown count: %s", e.toString());
                }
            }
        }
        context.next();
    }

    private static Method doneMethod() {
        try {
            Method method = QuarkusRequestWrapper.class.getDeclaredMethod("done");
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("QuarkusRequestWrapper.done() is gone: a shutdown with live streams open waits "
                    + "quarkus.shutdown.timeout (%s)", e.toString());
            return null;
        }
    }
}

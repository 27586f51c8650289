package org.flashsale.inventory.hold;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** A reserve waiting in its product's lane ({@link ReserveBatcher}), answered on the Vert.x context it came from. */
record BatchedReserve(UUID shopperId, int quantity, IdempotencyKey key, UniEmitter<? super Reserved> emitter,
        Context context, long enqueuedAt, AtomicBoolean done) {

    private static final Logger LOG = Logger.getLogger(BatchedReserve.class);

    void answer(Reserved reserved) {
        deliver(() -> emitter.complete(reserved));
    }

    void fail(Throwable failure) {
        deliver(() -> emitter.fail(failure));
    }

    private void deliver(Runnable action) {
        if (context == null || context == Vertx.currentContext()) {
            runGuarded(action);
        } else {
            context.runOnContext(ignored -> runGuarded(action));
        }
    }

    /** An answer that fails downstream must not stop the lane from answering the others. */
    private static void runGuarded(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.debugf(e, "answering a reserve failed");
        }
    }
}

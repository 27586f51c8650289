package org.flashsale.inventory.live.stock;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.vertx.core.Context;

/**
 * The ticks on their way to one event loop. A loop still busy with an earlier tick never gets a queue of them: at
 * most one tick waits, and a newer one takes its place ({@link StockTick#replacing}), so a loop that falls behind
 * delivers fresher values, not a backlog, and what waits for it is one tick however long it is busy.
 */
final class TickMailbox {

    private final Context context;
    private final Consumer<StockTick> deliver;
    private final AtomicReference<StockTick> waiting = new AtomicReference<>();

    TickMailbox(Context context, Consumer<StockTick> deliver) {
        this.context = context;
        this.deliver = deliver;
    }

    /** Hands the tick over; it is delivered on the loop, after every tick handed over before it. */
    void post(StockTick tick) {
        if (waiting.getAndUpdate(older -> older == null ? tick : tick.replacing(older)) == null) {
            context.runOnContext(ignored -> deliver.accept(waiting.getAndSet(null)));
        }
    }
}

package org.flashsale.expiry.expiry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What the worker exports at {@code /q/metrics}: holds expired, units restored, batch duration, lag after
 * {@code expires_at} (histogram) and the due backlog; plus the per-minute window that the summary log line reports.
 */
@ApplicationScoped
public class ExpiryMetrics {

    private final Counter holdsExpired;
    private final Counter unitsRestored;
    private final Timer batchDuration;
    private final Timer lag;
    private final AtomicLong dueBacklog = new AtomicLong();

    private final LongAdder windowHolds = new LongAdder();
    private final LongAdder windowUnits = new LongAdder();
    private final LongAdder windowBatches = new LongAdder();
    private final LongAccumulator windowMaxLagMillis = new LongAccumulator(Math::max, 0);

    public ExpiryMetrics(MeterRegistry registry) {
        holdsExpired = Counter.builder("flashsale.expiry.holds.expired")
                .description("Holds this worker moved from ACTIVE to EXPIRED").register(registry);
        unitsRestored = Counter.builder("flashsale.expiry.units.restored")
                .description("Units given back to available stock by expiry").register(registry);
        batchDuration = Timer.builder("flashsale.expiry.batch.duration")
                .description("Time of one expire batch (one transaction)").publishPercentileHistogram()
                .register(registry);
        lag = Timer.builder("flashsale.expiry.lag")
                .description("How long after its expires_at a hold was expired (database clock)")
                .serviceLevelObjectives(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5))
                .publishPercentileHistogram()
                .register(registry);
        registry.gauge("flashsale.expiry.due.backlog", dueBacklog);
    }

    public void recordBatch(List<ExpiredHold> expired, Duration took) {
        batchDuration.record(took);
        windowBatches.increment();
        for (ExpiredHold hold : expired) {
            Duration late = Duration.between(hold.expiresAt(), hold.endedAt());
            lag.record(late.isNegative() ? Duration.ZERO : late);
            windowMaxLagMillis.accumulate(late.toMillis());
            unitsRestored.increment(hold.quantity());
            windowUnits.add(hold.quantity());
        }
        holdsExpired.increment(expired.size());
        windowHolds.add(expired.size());
    }

    public void dueBacklog(long due) {
        dueBacklog.set(due);
    }

    /** The totals since the last call, which starts a new window. */
    public Window takeWindow() {
        return new Window(windowBatches.sumThenReset(), windowHolds.sumThenReset(), windowUnits.sumThenReset(),
                windowMaxLagMillis.getThenReset(), dueBacklog.get());
    }

    public record Window(long batches, long holds, long units, long maxLagMillis, long dueBacklog) {
    }
}

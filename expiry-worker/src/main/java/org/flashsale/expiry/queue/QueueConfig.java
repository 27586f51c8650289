package org.flashsale.expiry.queue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

import org.flashsale.expiry.upkeep.OffOrDuration;

/** The waiting room's keeper, under {@code flashsale.queue.*} (environment {@code FLASHSALE_QUEUE_*}). */
@ConfigMapping(prefix = "flashsale.queue")
public interface QueueConfig {

    /**
     * How often queues are kept (draw, placing, admission, lapses, close). Short, because a unit that comes back
     * admits the next shopper only at the keeper's next run; {@code off} (empty) keeps no queue in this worker.
     */
    @WithDefault("250ms")
    @WithConverter(OffOrDuration.class)
    Optional<Duration> keeperInterval();

    /**
     * Open admissions are kept at most at ceil(factor x (available + held)) - held: 1 admits exactly the units
     * available now; above 1 admits ahead of held units that may come back (expired or cancelled holds).
     */
    @WithDefault("1.0")
    @DecimalMin("1.0")
    @DecimalMax("10.0")
    BigDecimal admissionFactor();

    /** Most queues one run keeps (one transaction); the others wait for the next run or another worker. */
    @WithDefault("100")
    @Min(1)
    @Max(10_000)
    int maxProductsPerRun();
}

package org.flashsale.expiry.expiry;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the expiry worker under {@code flashsale.expiry.*} (environment {@code FLASHSALE_EXPIRY_*}). */
@ConfigMapping(prefix = "flashsale.expiry")
public interface ExpiryConfig {

    /** The safety-net poll: how often the worker looks for due holds even when no wake-up is pending. */
    @WithDefault("1s")
    Duration pollInterval();

    /** How many holds one transaction expires at most. */
    @WithDefault("500")
    @Min(1)
    @Max(10_000)
    int batchSize();

    /** The shortest gap between two wake-ups, so a stream of holds due a millisecond apart is expired in batches. */
    @WithDefault("20ms")
    Duration minWakeGap();
}

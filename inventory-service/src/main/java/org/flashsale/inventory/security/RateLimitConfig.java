package org.flashsale.inventory.security;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Abuse controls under {@code flashsale.rate-limit.*} (environment {@code FLASHSALE_RATE_LIMIT_*}). Each limit is a
 * token bucket per key, refilled at the given rate per second (fractions allowed: 0.5 is one every two seconds) and
 * holding {@code burst-seconds} worth of requests. Limits are per inventory-service instance.
 */
@ConfigMapping(prefix = "flashsale.rate-limit")
public interface RateLimitConfig {

    /** Turn every limit off (benchmarks, load tests). */
    @WithDefault("true")
    boolean enabled();

    /** Reserves per second per shopper. */
    @WithDefault("5")
    @Positive
    double reservePerShopper();

    /** Reserves per second per client address (many shoppers behind one address share it). */
    @WithDefault("200")
    @Positive
    double reservePerAddress();

    /** New shopper identities per second per client address. */
    @WithDefault("2")
    @Positive
    double shoppersPerAddress();

    /**
     * Pages of the published draw (GET …/queue/draw) per second per client address: a verifier reading a draw of
     * 20,000 entrants reads 20 pages, within the burst.
     */
    @WithDefault("10")
    @Positive
    double drawPagesPerAddress();

    /** How many seconds' worth of requests a bucket holds: the burst allowed after a quiet spell. */
    @WithDefault("5")
    @Min(1)
    int burstSeconds();
}

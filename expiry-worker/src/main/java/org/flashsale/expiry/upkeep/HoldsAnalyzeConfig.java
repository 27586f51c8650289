package org.flashsale.expiry.upkeep;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.arc.Unremovable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * The planner's statistics of {@code holds} under {@code flashsale.holds-analyze.*} (environment
 * {@code FLASHSALE_HOLDS_ANALYZE_*}). The scheduler reads the key itself; {@code @Unremovable} keeps the mapping, and
 * with it the default and the check at start-up.
 */
@Unremovable
@ConfigMapping(prefix = "flashsale.holds-analyze")
public interface HoldsAnalyzeConfig {

    /** How often the worker checks whether {@code holds} needs an ANALYZE; {@code off} leaves it to autovacuum. */
    @WithDefault("1s")
    @WithConverter(OffOrDuration.class)
    Optional<Duration> interval();
}

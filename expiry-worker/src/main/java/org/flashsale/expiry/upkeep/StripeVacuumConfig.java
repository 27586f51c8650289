package org.flashsale.expiry.upkeep;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.arc.Unremovable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * The stripe upkeep under {@code flashsale.stripe-vacuum.*} (environment {@code FLASHSALE_STRIPE_VACUUM_*}). The
 * scheduler reads the key itself; {@code @Unremovable} keeps the mapping (Quarkus drops one nobody injects), and with
 * it the default and the check at start-up.
 */
@Unremovable
@ConfigMapping(prefix = "flashsale.stripe-vacuum")
public interface StripeVacuumConfig {

    /** How often {@code stock_stripes} is vacuumed; {@code off} (empty) leaves it to autovacuum. */
    @WithDefault("1s")
    @WithConverter(OffOrDuration.class)
    Optional<Duration> interval();
}

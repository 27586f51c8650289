package org.flashsale.expiry.upkeep;

import java.time.Duration;
import java.util.Optional;

import org.hibernate.validator.constraints.time.DurationMin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/** Forgetting Idempotency-Keys, under {@code flashsale.idempotency.*} (environment {@code FLASHSALE_IDEMPOTENCY_*}). */
@ConfigMapping(prefix = "flashsale.idempotency")
public interface IdempotencyConfig {

    /**
     * How long a key is remembered (and a retry replayed). Shorter than 10 minutes would forget a key while its client
     * may still be retrying: a retry can follow minutes later.
     */
    @WithDefault("24h")
    @DurationMin(minutes = 10)
    Duration retention();

    /** How often records past their retention are deleted; {@code off} (empty) never. */
    @WithDefault("1m")
    @WithConverter(OffOrDuration.class)
    Optional<Duration> pruneInterval();
}

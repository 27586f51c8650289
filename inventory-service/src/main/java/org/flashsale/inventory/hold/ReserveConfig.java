package org.flashsale.inventory.hold;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How reserves reach the database, under {@code flashsale.reserve.*} (environment {@code FLASHSALE_RESERVE_*}): the
 * group commit of a hot product (see {@code ReserveBatcher}).
 */
@ConfigMapping(prefix = "flashsale.reserve")
public interface ReserveConfig {

    /**
     * Combine the reserves of one product that arrive while its previous statement is in flight into one statement
     * (one commit). {@code false} sends every reserve as its own statement.
     */
    @WithDefault("true")
    boolean batching();

    /** Most reserves in one batch statement. */
    @WithDefault("64")
    @Min(2)
    @Max(1000)
    int maxBatch();

    /** Most reserves of one product waiting for their batch in this instance; past it: 503 OVERLOADED. */
    @WithDefault("10000")
    @Min(1)
    int maxQueue();
}

package org.flashsale.inventory.live;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the live streams under {@code flashsale.live.*}. */
@ConfigMapping(prefix = "flashsale.live")
public interface LiveConfig {

    /** Per product, at most one stock message per this interval, carrying the newest value. */
    @WithDefault("100ms")
    Duration coalesce();
}

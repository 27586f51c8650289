package org.flashsale.inventory.live.shared;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the live streams under {@code flashsale.live.*}. */
@ConfigMapping(prefix = "flashsale.live")
public interface LiveConfig {

    /** Per product, at most one stock message per this interval, carrying the newest value. */
    @WithDefault("100ms")
    Duration coalesce();

    /**
     * Most {@code /ws/stock} watchers this instance holds at once; past it an upgrade is refused with 503
     * {@code OVERLOADED} and {@code Retry-After} ({@code WatcherAdmission}). {@code 0}: no cap. Below
     * {@code quarkus.http.limits.max-connections} (10,000), so the API keeps 2,000 connections whatever the crowd
     * watching.
     */
    @WithDefault("8000")
    @Min(0)
    int maxWatchers();

    /**
     * The kernel's send buffer of every HTTP connection of this instance (SO_SNDBUF, bytes; {@code 0}: the kernel's
     * auto-tuning). Frames a watcher has not read wait there, where the server cannot skip them: a small buffer makes a
     * slow watcher show as slow after a few frames, so it gets the newest values instead of a backlog
     * ({@link SocketSendBuffer}). 64 KiB (the kernel doubles it): 16 KiB held about 25 eight-product frames, but
     * 18,000 watchers of a hot product collapsed into seconds of delay with it (bench/README.md, Live fan-out).
     */
    @WithDefault("65536")
    @Min(0)
    int socketSendBuffer();

    /**
     * Per shopper and product, at most one {@code /ws/shopper} queue message per this interval while the shopper
     * only moves up the queue ({@code WAITING} with a new position or number ahead); a new state ({@code ADMITTED},
     * {@code LAPSED}, {@code SOLD_OUT}, {@code RESERVED}) goes out at the next {@link #coalesce()} tick.
     */
    @WithDefault("1s")
    Duration queueCoalesce();

    /** How often {@code /ws/admin} pushes the operator's figures. */
    @WithDefault("1s")
    Duration dashboardInterval();
}

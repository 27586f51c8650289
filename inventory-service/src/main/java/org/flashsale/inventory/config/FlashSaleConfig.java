package org.flashsale.inventory.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of inventory-service under {@code flashsale.*} (environment {@code FLASHSALE_*}). */
@ConfigMapping(prefix = "flashsale")
public interface FlashSaleConfig {

    /** HMAC key that signs shopper tokens. No default in prod: the service refuses to start without it. */
    @Size(min = 32)
    String tokenSecret();

    /**
     * Earlier token secrets (comma-separated): tokens they signed are still accepted until they expire, while new
     * tokens are signed with {@code token-secret}. Rotate by moving the old secret here and setting a new one.
     */
    Optional<List<@Size(min = 32) String>> previousTokenSecrets();

    /** How long a shopper token is accepted after it was issued. The SPA renews its token on every visit. */
    @WithDefault("30d")
    Duration tokenTtl();

    /** Bearer key of the admin endpoints. No default in prod. */
    @Size(min = 16)
    String adminKey();

    /** How long a hold keeps its stock. */
    @WithDefault("2M")
    Duration holdTtl();

    /**
     * The longest a hold may live, however often the shopper adds to it: a merge resets the expiry to now + hold-ttl
     * but never past the hold's creation + this. Default: 3 × hold-ttl.
     */
    Optional<Duration> holdMaxLifetime();

    /** {@link #holdMaxLifetime()}, or its default of 3 × {@link #holdTtl()}. */
    default Duration holdLifetime() {
        return holdMaxLifetime().orElseGet(() -> holdTtl().multipliedBy(3));
    }

    /** Largest quantity one reserve request may ask for. */
    @WithDefault("10")
    @Min(1)
    @Max(1000)
    int maxPerRequest();

    /** Seed the demo catalogue when the products table is empty at start-up. */
    @WithDefault("false")
    boolean seedDemoData();

    /** The demo's own tools. */
    Demo demo();

    interface Demo {

        /**
         * Whether {@code POST /api/admin/reset} (replace every product and hold with the demo catalogue) exists: off,
         * it answers 404 as an unknown path does and the dashboard shows no reset button. On in dev and test only.
         */
        @WithDefault("false")
        boolean resetEnabled();
    }
}

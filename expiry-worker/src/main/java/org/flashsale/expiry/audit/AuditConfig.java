package org.flashsale.expiry.audit;

import java.time.Duration;

import io.quarkus.arc.Unremovable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The continuous stock audit under {@code flashsale.audit.*} (environment {@code FLASHSALE_AUDIT_*}). The scheduler
 * reads the key itself; {@code @Unremovable} keeps the mapping (Quarkus drops one nobody injects), and with it the
 * default and the check at start-up.
 */
@Unremovable
@ConfigMapping(prefix = "flashsale.audit")
public interface AuditConfig {

    /** How often every product's books are checked. */
    @WithDefault("30s")
    Duration interval();
}

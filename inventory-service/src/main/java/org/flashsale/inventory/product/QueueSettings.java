package org.flashsale.inventory.product;

import java.time.Duration;

/** The waiting room's per-product settings that have defaults (the products table's defaults match). */
public final class QueueSettings {

    /** How long an admission lasts unless the product says otherwise. */
    public static final Duration DEFAULT_ADMISSION_TTL = Duration.ofSeconds(60);
    public static final Duration MIN_ADMISSION_TTL = Duration.ofSeconds(5);
    public static final Duration MAX_ADMISSION_TTL = Duration.ofHours(1);

    private QueueSettings() {
    }
}

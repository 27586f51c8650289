package org.flashsale.live;

/** Where a hold is in its life: ACTIVE, then exactly one of the three ends. */
public enum HoldStatus {
    ACTIVE,
    COMPLETED,
    CANCELLED,
    EXPIRED
}

package org.flashsale.inventory.hold;

/** A hold as stored, with whether its expiry time has passed (by the database clock). */
public record Found(Hold hold, boolean overdue) {
}

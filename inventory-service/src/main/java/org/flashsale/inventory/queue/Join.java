package org.flashsale.inventory.queue;

import java.time.Instant;

/** A join's outcome; {@code opensAt} says when joining opens (NOT_OPEN_YET). */
public record Join(JoinOutcome outcome, Instant opensAt) {
}

package org.flashsale.inventory.queue;

/** Why a join did or did not happen. */
public enum JoinOutcome {
    JOINED, ALREADY_IN, NOT_QUEUED, NOT_OPEN_YET, CLOSED
}

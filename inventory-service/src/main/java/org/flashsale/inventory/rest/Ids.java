package org.flashsale.inventory.rest;

import java.util.UUID;

import org.flashsale.inventory.problem.ErrorCode;
import org.flashsale.inventory.problem.ProblemException;

/** Path ids: a malformed one names nothing, so it is the same 404 as an unknown one. */
final class Ids {

    private Ids() {
    }

    static UUID parse(String raw, ErrorCode notFound, String what) {
        try {
            if (raw.length() == 36) {
                return UUID.fromString(raw);
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw new ProblemException(notFound, "no " + what + " with id " + raw);
    }
}

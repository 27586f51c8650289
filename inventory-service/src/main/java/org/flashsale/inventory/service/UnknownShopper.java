package org.flashsale.inventory.service;

import org.flashsale.inventory.problem.ErrorCode;
import org.flashsale.inventory.problem.ProblemException;
import org.flashsale.inventory.repository.SqlStates;

/**
 * A valid token for a shopper this database does not know (e.g. issued against another database, or before a reset
 * of it): one 401 with one sentence, whether a read found no shopper or a write's foreign key on the shopper failed.
 */
final class UnknownShopper {

    private UnknownShopper() {
    }

    static ProblemException problem() {
        return new ProblemException(ErrorCode.UNAUTHORIZED,
                "unknown shopper: create a new one with POST /api/shoppers");
    }

    /** For {@code onFailure().transform}: the failure it replaces says nothing more. */
    static ProblemException problem(Throwable failure) {
        return problem();
    }

    /** A reserve's or a queue join's write failed on a foreign key, which they take as the shopper's. */
    static boolean isCause(Throwable failure) {
        return SqlStates.is(failure, SqlStates.FOREIGN_KEY_VIOLATION);
    }
}

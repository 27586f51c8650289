package org.flashsale.inventory.shopper;

import org.flashsale.inventory.db.SqlStates;
import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.ProblemException;

/**
 * A valid token for a shopper this database does not know (e.g. issued against another database, or before a reset
 * of it): one 401 with one sentence, whether a read found no shopper or a write's foreign key on the shopper failed.
 */
public final class UnknownShopper {

    private UnknownShopper() {
    }

    public static ProblemException problem() {
        return new ProblemException(ErrorCode.UNAUTHORIZED,
                "unknown shopper: create a new one with POST /api/shoppers");
    }

    /** For {@code onFailure().transform}: the failure it replaces says nothing more. */
    public static ProblemException problem(Throwable failure) {
        return problem();
    }

    /** A reserve's or a queue join's write failed on a foreign key, which they take as the shopper's. */
    public static boolean isCause(Throwable failure) {
        return SqlStates.is(failure, SqlStates.FOREIGN_KEY_VIOLATION);
    }
}

package org.flashsale.inventory.rest;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.SecurityContext;

import org.flashsale.inventory.problem.ErrorCode;
import org.flashsale.inventory.problem.ProblemException;

/** Ids from requests: path ids (a malformed one names nothing, so it is the same 404 as an unknown one) and the caller. */
final class Ids {

    /** ASCII only: UUID.fromString also reads fullwidth and other Unicode digits, giving one id many spellings. */
    private static final Pattern CANONICAL = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Ids() {
    }

    static UUID parse(String raw, ErrorCode notFound, String what) {
        if (CANONICAL.matcher(raw).matches()) {
            return UUID.fromString(raw);
        }
        throw new ProblemException(notFound, "no " + what + " with id " + raw);
    }

    /** The authenticated shopper's id (the principal's name, set by the bearer-token identity provider). */
    static UUID shopper(SecurityContext security) {
        return UUID.fromString(security.getUserPrincipal().getName());
    }
}

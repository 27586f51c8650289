package org.flashsale.inventory.http.rest;

import java.util.UUID;

import jakarta.ws.rs.core.SecurityContext;

import org.flashsale.inventory.http.json.CanonicalUuid;
import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.ProblemException;

/** Ids from requests: path ids (a malformed one names nothing, so it is the same 404 as an unknown one) and the caller. */
public final class Ids {

    private Ids() {
    }

    public static UUID parse(String raw, ErrorCode notFound, String what) {
        if (CanonicalUuid.is(raw)) {
            return UUID.fromString(raw);
        }
        throw new ProblemException(notFound, "no " + what + " with id " + raw);
    }

    /** The authenticated shopper's id (the principal's name, set by the bearer-token identity provider). */
    public static UUID shopper(SecurityContext security) {
        return UUID.fromString(security.getUserPrincipal().getName());
    }
}

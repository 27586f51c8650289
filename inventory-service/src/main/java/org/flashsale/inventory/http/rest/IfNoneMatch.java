package org.flashsale.inventory.http.rest;

/**
 * {@code If-None-Match} as RFC 9110 §13.1.2 reads it: {@code *}, or a list of entity tags compared weakly (a
 * {@code W/} prefix does not matter). Quarkus REST's {@code Request.evaluatePreconditions} compares them strongly.
 */
public final class IfNoneMatch {

    private IfNoneMatch() {
    }

    /** Whether the header names the representation whose (unquoted) entity tag is {@code etag}. */
    public static boolean matches(String header, String etag) {
        if (header == null) {
            return false;
        }
        String quoted = '"' + etag + '"';
        for (String tag : header.split(",")) {
            String candidate = tag.strip();
            if (candidate.startsWith("W/")) {
                candidate = candidate.substring(2);
            }
            if (candidate.equals("*") || candidate.equals(quoted)) {
                return true;
            }
        }
        return false;
    }
}

package org.flashsale.inventory.http.problem;

/** A response header that belongs to an error code: every problem with that code carries it, and the document says so. */
public enum ProblemHeader {
    /** RFC 9110 §11.6.1: a 401 names the scheme to authenticate with. */
    WWW_AUTHENTICATE("WWW-Authenticate", "The scheme to authenticate with: send 'Authorization: Bearer <token>'",
            ProblemHeader.BEARER),
    /** RFC 9110 §10.2.3: when to try again, in whole seconds. */
    RETRY_AFTER("Retry-After", "Whole seconds to wait before trying again", 1);

    /** The one challenge we send: our tokens, shopper and admin alike, are bearer tokens. */
    public static final String BEARER = "Bearer";
    /** Seconds a client waits when nothing more precise is known (the database is coming back). */
    private static final long DEFAULT_RETRY_AFTER_SECONDS = 1;

    private final String headerName;
    private final String description;
    private final Object example;

    ProblemHeader(String headerName, String description, Object example) {
        this.headerName = headerName;
        this.description = description;
        this.example = example;
    }

    public String headerName() {
        return headerName;
    }

    public String description() {
        return description;
    }

    /** A typical value: a string, or for a number of seconds an integer. */
    public Object example() {
        return example;
    }

    /** The value this header has on {@code problem}. */
    public String valueFor(Problem problem) {
        return switch (this) {
            case WWW_AUTHENTICATE -> BEARER;
            case RETRY_AFTER -> String.valueOf(problem.properties().getOrDefault(Problem.RETRY_AFTER_SECONDS,
                    DEFAULT_RETRY_AFTER_SECONDS));
        };
    }
}

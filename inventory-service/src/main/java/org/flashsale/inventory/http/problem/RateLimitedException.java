package org.flashsale.inventory.http.problem;

import java.util.Map;

/** 429 {@code RATE_LIMITED}; the seconds to wait go out as {@code Retry-After} and as {@code retryAfterSeconds}. */
public class RateLimitedException extends ProblemException {

    public RateLimitedException(String detail, long retryAfterSeconds) {
        super(ErrorCode.RATE_LIMITED, detail, Map.of(Problem.RETRY_AFTER_SECONDS, retryAfterSeconds));
    }
}

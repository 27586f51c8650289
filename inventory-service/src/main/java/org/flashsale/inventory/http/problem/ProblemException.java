package org.flashsale.inventory.http.problem;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A domain failure that reaches the client as an RFC 9457 problem with a stable code. A resource method that can
 * end in one lists the code in its {@link Raises}.
 */
public class ProblemException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> properties;

    public ProblemException(ErrorCode code, String detail) {
        this(code, detail, Map.of());
    }

    public ProblemException(ErrorCode code, String detail, Map<String, Object> properties) {
        super(detail, null, false, false);
        this.code = code;
        this.properties = new LinkedHashMap<>(properties);
    }

    public Problem toProblem() {
        return Problem.of(code, getMessage(), properties);
    }
}

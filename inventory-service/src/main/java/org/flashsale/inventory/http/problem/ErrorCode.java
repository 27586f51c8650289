package org.flashsale.inventory.http.problem;

import java.util.List;

/**
 * The stable codes of every error the API returns, with their HTTP status, title and the headers that go with them.
 * The OpenAPI document's error responses are generated from this table and each operation's {@link Raises}
 * ({@link ErrorContract}).
 */
public enum ErrorCode {
    VALIDATION(400, "The request is not valid"),
    MALFORMED_JSON(400, "The request body is not valid JSON"),
    UNAUTHORIZED(401, "Authentication required", ProblemHeader.WWW_AUTHENTICATE),
    FORBIDDEN(403, "Not allowed"),
    NOT_FOUND(404, "No such resource"),
    PRODUCT_NOT_FOUND(404, "No such product"),
    HOLD_NOT_FOUND(404, "No such hold"),
    ORDER_NOT_FOUND(404, "No such order"),
    NOT_IN_QUEUE(404, "Not in the queue"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    OUT_OF_STOCK(409, "Not enough stock"),
    HOLD_NOT_ACTIVE(409, "The hold is no longer active"),
    SKU_TAKEN(409, "SKU already in use"),
    STOCK_LIMIT(409, "Stock limit reached"),
    SALE_NOT_ACTIVE(409, "The sale is not open"),
    LIMIT_EXCEEDED(409, "Limit per shopper reached"),
    NOT_ADMITTED(409, "Not admitted from the waiting room"),
    NOT_QUEUED(409, "The product has no waiting room"),
    QUEUE_NOT_OPEN(409, "The waiting room is not open yet"),
    QUEUE_CLOSED(409, "The waiting room is closed"),
    HOLD_EXPIRED(410, "The hold has expired"),
    PAYLOAD_TOO_LARGE(413, "Request body too large"),
    URI_TOO_LONG(414, "Request line too long"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    IDEMPOTENCY_KEY_REUSED(422, "Idempotency-Key reused with another request"),
    RATE_LIMITED(429, "Too many requests", ProblemHeader.RETRY_AFTER),
    HEADERS_TOO_LARGE(431, "Request headers too large"),
    INTERNAL(500, "Internal error"),
    DATABASE_UNAVAILABLE(503, "The database is unavailable", ProblemHeader.RETRY_AFTER),
    OVERLOADED(503, "Too many requests waiting", ProblemHeader.RETRY_AFTER),
    HTTP_VERSION_NOT_SUPPORTED(505, "HTTP version not supported");

    private final int status;
    private final String title;
    private final List<ProblemHeader> headers;

    ErrorCode(int status, String title, ProblemHeader... headers) {
        this.status = status;
        this.title = title;
        this.headers = List.of(headers);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The headers every response with this code carries. */
    public List<ProblemHeader> headers() {
        return headers;
    }
}

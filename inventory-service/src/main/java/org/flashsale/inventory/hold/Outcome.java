package org.flashsale.inventory.hold;

/** How a reserve ended; every value but RESERVED changed nothing (REPLAYED answers as RESERVED did first). */
public enum Outcome {
    RESERVED, NOT_FOUND, SALE_NOT_ACTIVE, NOT_ADMITTED, LIMIT_EXCEEDED, OUT_OF_STOCK,
    /** A queued product: the reserve would pass what the shopper's admission grants (remaining: what is left). */
    TURN_LIMIT_EXCEEDED,
    /** Only from a batch: the product is queued, so each request must go to the careful path alone. */
    QUEUED,
    /** Keyed: the key's first request answered this one (its stored hold); nothing changed. */
    REPLAYED,
    /** Keyed: the key answered another request (product or quantity); nothing changed. */
    KEY_REUSED
}

package org.flashsale.inventory.hold;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A reserve's Idempotency-Key with the hash of the request it guards: the one home of the rule that tells a retry
 * (same product and quantity; for an order, the same holds) from another request under the same key. Both keyed paths (the group commit's
 * statement and {@link IdempotentReserves}) compare the hash stored with the key against this one.
 */
public record IdempotencyKey(String key, String requestHash) {

    public static IdempotencyKey of(String key, UUID productId, int quantity) {
        return forRequest(key, "POST /api/reservations " + productId + " " + quantity);
    }

    /** A key with the hash of the request it guards, written out as one line (method, path and what the body asks). */
    public static IdempotencyKey forRequest(String key, String request) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(request.getBytes(StandardCharsets.UTF_8));
            return new IdempotencyKey(key, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

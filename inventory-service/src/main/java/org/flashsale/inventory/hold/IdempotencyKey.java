package org.flashsale.inventory.hold;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A reserve's Idempotency-Key with the hash of the request it guards: the one home of the rule that tells a retry
 * (same product and quantity) from another request under the same key. Both keyed paths (the group commit's
 * statement and {@link IdempotentReserves}) compare the hash stored with the key against this one.
 */
public record IdempotencyKey(String key, String requestHash) {

    public static IdempotencyKey of(String key, UUID productId, int quantity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("POST /api/reservations " + productId + " " + quantity).getBytes(StandardCharsets.UTF_8));
            return new IdempotencyKey(key, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

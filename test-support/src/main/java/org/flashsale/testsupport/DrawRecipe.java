package org.flashsale.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The waiting room's draw as its published recipe gives it (QueueStatus.DRAW_RECIPE; the draw itself runs in
 * db/migration/R__keep_queues.sql), computed here in Java, independently of the database, to check what it did.
 */
public final class DrawRecipe {

    private DrawRecipe() {
    }

    /** A shopper's key: SHA-256 of the UTF-8 bytes of the seed followed by the shopper's canonical id. */
    public static byte[] key(String seed, UUID shopper) {
        try {
            return MessageDigest.getInstance("SHA-256").digest((seed + shopper).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key as the draw's places publish it: 64 lowercase hex digits. */
    public static String hexKey(String seed, UUID shopper) {
        return HexFormat.of().formatHex(key(seed, shopper));
    }

    /** The entrants in their drawn order: ascending keys, bytes compared unsigned, ties by id. */
    public static List<UUID> order(String seed, List<UUID> entrants) {
        Map<UUID, byte[]> keys = new HashMap<>();
        entrants.forEach(id -> keys.put(id, key(seed, id)));
        List<UUID> ordered = new ArrayList<>(entrants);
        ordered.sort(Comparator.<UUID, byte[]>comparing(keys::get, Arrays::compareUnsigned)
                .thenComparing(UUID::toString));
        return ordered;
    }
}

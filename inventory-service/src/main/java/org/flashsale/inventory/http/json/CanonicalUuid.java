package org.flashsale.inventory.http.json;

import java.util.UUID;
import java.util.regex.Pattern;

/** A UUID in its one canonical spelling: 36 ASCII characters, hex digits and hyphens in the 8-4-4-4-12 groups. */
public final class CanonicalUuid {

    /** ASCII only: UUID.fromString also reads fullwidth and other Unicode digits, giving one id many spellings. */
    private static final Pattern CANONICAL = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private CanonicalUuid() {
    }

    public static boolean is(String raw) {
        return CANONICAL.matcher(raw).matches();
    }

    /** The UUID, or null when {@code raw} is not canonical. */
    public static UUID parseOrNull(String raw) {
        return is(raw) ? UUID.fromString(raw) : null;
    }
}

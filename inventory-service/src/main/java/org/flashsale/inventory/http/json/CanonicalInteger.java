package org.flashsale.inventory.http.json;

import java.util.regex.Pattern;

/**
 * A whole number in its one canonical spelling: ASCII digits, optionally after a minus. {@code Integer.parseInt}
 * alone also reads fullwidth ({@code ５}), Arabic-Indic ({@code ١}) and every other Unicode digit, and a leading
 * {@code +}, giving one number many spellings.
 */
public final class CanonicalInteger {

    private static final Pattern CANONICAL = Pattern.compile("-?[0-9]{1,10}");

    private CanonicalInteger() {
    }

    /** Whether {@code raw} is an {@code int} spelled canonically. */
    public static boolean is(String raw) {
        return parseOrNull(raw) != null;
    }

    /** The number, or null when {@code raw} is not a canonical {@code int}. */
    public static Integer parseOrNull(String raw) {
        if (raw == null || !CANONICAL.matcher(raw).matches()) {
            return null;
        }
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

package org.flashsale.inventory.http.json;

import java.util.Locale;

/**
 * What a JSON body must say it is: {@code application/json}, with at most the parameter {@code charset=utf-8}
 * (RFC 8259 §8.1: JSON exchanged between systems is UTF-8). Blank, {@code *}{@code /*}, {@code application/*}, another
 * charset or parameter are refused, as is a body that is UTF-16 or UTF-32 whatever it claims.
 */
public final class JsonMediaType {

    public static final String ONLY = "send the body as application/json in UTF-8 (optionally charset=utf-8)";

    private JsonMediaType() {
    }

    public static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";", -1);
        if (!parts[0].trim().equalsIgnoreCase("application/json")) {
            return false;
        }
        if (parts.length == 1) {
            return true;
        }
        if (parts.length > 2) {
            return false;
        }
        String parameter = parts[1].trim().toLowerCase(Locale.ROOT);
        return parameter.equals("charset=utf-8") || parameter.equals("charset=\"utf-8\"");
    }

    /**
     * Whether the first bytes are a UTF-16/32 byte order mark or hold a NUL (RFC 4627 §3): valid UTF-8 JSON has no
     * raw NUL byte anywhere, and its first character is ASCII.
     */
    public static boolean isUtf16Or32(byte[] start) {
        if (start.length >= 2 && ((start[0] == (byte) 0xFE && start[1] == (byte) 0xFF)
                || (start[0] == (byte) 0xFF && start[1] == (byte) 0xFE))) {
            return true;
        }
        for (byte b : start) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }
}

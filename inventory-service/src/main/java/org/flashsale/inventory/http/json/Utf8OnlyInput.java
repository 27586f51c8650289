package org.flashsale.inventory.http.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.util.Arrays;

import jakarta.ws.rs.NotSupportedException;

import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.InputDecorator;

/**
 * Refuses a body in UTF-16 or UTF-32 (415 {@code UNSUPPORTED_MEDIA_TYPE}) whatever its {@code Content-Type} says:
 * Jackson detects those encodings from the first bytes and would read them as JSON. It looks at the bytes as the JSON
 * parser gets them, so whatever the framing. A Jackson input decorator rather than a JAX-RS reader interceptor: with
 * any reader interceptor, Quarkus REST leaves its fast body-reading path for one that reads the resource method's
 * parameter annotations by reflection on every request (profiled: bench/profile-reserve.sh).
 */
public final class Utf8OnlyInput extends InputDecorator {

    private static final int DETECTED_FROM = 4;

    @Override
    public InputStream decorate(IOContext context, InputStream in) throws IOException {
        PushbackInputStream body = new PushbackInputStream(in, DETECTED_FROM);
        byte[] start = body.readNBytes(DETECTED_FROM);
        refuseUtf16Or32(start);
        body.unread(start);
        return body;
    }

    @Override
    public InputStream decorate(IOContext context, byte[] src, int offset, int length) {
        refuseUtf16Or32(Arrays.copyOfRange(src, offset, offset + Math.min(DETECTED_FROM, length)));
        return null; // read the bytes as they are
    }

    @Override
    public Reader decorate(IOContext context, Reader reader) {
        return reader; // already characters (our own messages): nothing to detect
    }

    private static void refuseUtf16Or32(byte[] start) {
        if (JsonMediaType.isUtf16Or32(start)) {
            throw new NotSupportedException(JsonMediaType.ONLY);
        }
    }
}

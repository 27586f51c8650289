package org.flashsale.inventory.problem;

import java.io.IOException;
import java.io.PushbackInputStream;

import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

/**
 * Refuses a body in UTF-16 or UTF-32 (415 {@code UNSUPPORTED_MEDIA_TYPE}) whatever its {@code Content-Type} says:
 * Jackson detects those encodings from the first bytes and would read them as JSON. It looks at the body as the JSON
 * reader gets it, so whatever the framing.
 */
@Provider
public class Utf8Only implements ReaderInterceptor {

    private static final int DETECTED_FROM = 4;

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        PushbackInputStream body = new PushbackInputStream(context.getInputStream(), DETECTED_FROM);
        byte[] start = body.readNBytes(DETECTED_FROM);
        if (JsonMediaType.isUtf16Or32(start)) {
            throw new NotSupportedException(JsonMediaType.ONLY);
        }
        body.unread(start);
        context.setInputStream(body);
        return context.proceed();
    }
}

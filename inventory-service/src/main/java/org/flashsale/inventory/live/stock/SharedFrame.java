package org.flashsale.inventory.live.stock;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

import org.flashsale.inventory.live.shared.Messages;

/**
 * One text frame of /ws/stock, encoded once (UTF-8) and then written to every watcher it is for. Its bytes are made
 * here, never handed out and never changed: each write wraps the same array in a frame of its own (a view with its
 * own read position, no copy), so a write still in progress on one connection can never see another tick's bytes.
 */
final class SharedFrame {

    /** No frame: what a watcher that lacks nothing would get (never written). */
    static final SharedFrame NONE = new SharedFrame(new byte[0]);

    private final byte[] utf8;

    private SharedFrame(byte[] utf8) {
        this.utf8 = utf8;
    }

    static SharedFrame encode(ObjectMapper json, Object message) {
        return new SharedFrame(Messages.encodeUtf8(json, message));
    }

    /**
     * A frame of these bytes for one write. Vert.x' public API makes text frames only from a {@code String} (encoded
     * again per write); its own frame class takes the bytes as they are.
     */
    WebSocketFrame toWrite() {
        return new WebSocketFrameImpl(WebSocketFrameType.TEXT, utf8, true);
    }

    @Override
    public String toString() {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}

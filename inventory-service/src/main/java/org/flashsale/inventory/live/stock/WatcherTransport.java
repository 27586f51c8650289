package org.flashsale.inventory.live.stock;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.WebSocketBase;

/**
 * The Vert.x WebSocket under a WebSockets Next connection, which a watcher's frames are written to directly: one
 * write of a shared {@link SharedFrame} per watcher and tick, on the connection's event loop, instead of
 * {@code sendText}'s per-message reactive pipeline around a {@code String} encoded again for every watcher (measured
 * in bench/README.md, *Live fan-out*). WebSockets Next 3.32 keeps the socket package-private
 * ({@code WebSocketConnectionBase.webSocket()}); it is looked up once, at start, and a Quarkus without it fails the
 * service's start (every live test), not a watcher.
 */
@RegisterForReflection(classNames = "io.quarkus.websockets.next.runtime.WebSocketConnectionBase", methods = true)
final class WatcherTransport {

    private static final MethodHandle WEB_SOCKET = webSocketAccessor();

    private WatcherTransport() {
    }

    /** Fails the start when the socket cannot be reached (this class's initialization does the lookup). */
    static void requireAvailable() {
        WEB_SOCKET.type();
    }

    static WebSocketBase of(WebSocketConnection connection) {
        try {
            return (WebSocketBase) WEB_SOCKET.invoke(connection);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static MethodHandle webSocketAccessor() {
        try {
            Class<?> base = Class.forName("io.quarkus.websockets.next.runtime.WebSocketConnectionBase", false,
                    WebSocketConnection.class.getClassLoader());
            return MethodHandles.privateLookupIn(base, MethodHandles.lookup())
                    .findVirtual(base, "webSocket", MethodType.methodType(WebSocketBase.class))
                    .asType(MethodType.methodType(WebSocketBase.class, WebSocketConnection.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(new IllegalStateException(
                    "WebSockets Next no longer has WebSocketConnectionBase.webSocket(): /ws/stock cannot write", e));
        }
    }
}

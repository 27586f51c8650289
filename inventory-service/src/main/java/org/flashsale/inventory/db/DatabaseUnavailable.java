package org.flashsale.inventory.db;

import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.util.List;

import io.smallrye.mutiny.CompositeException;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/** Whether a failure under a request means the database is gone for now (503), rather than a bug (500). */
public final class DatabaseUnavailable {

    /** The reactive pool's VertxException when a request waited longer than its acquisition timeout. */
    private static final String POOL_WAIT_TIMEOUT = "Timeout waiting for connection";
    /** The epoll/io_uring transports' IOException for a failed socket call. */
    private static final String NETTY_NATIVE_IO = "io.netty.channel.unix.Errors$NativeIoException";
    private static final List<String> CONNECTION_LOST = List.of("Connection reset", "Broken pipe",
            "Connection refused", "Connection timed out");

    private DatabaseUnavailable() {
    }

    /**
     * A failure that means "no database right now": the connection refused, reset, closed or not active, the server
     * terminating or starting up, or no pooled connection freed within the pool's wait (a long outage, or a queue far
     * beyond what the database can serve).
     */
    public static boolean is(Throwable e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof PgException pg) {
            return SqlStates.meansUnavailable(pg.getSqlState());
        }
        if (e instanceof SQLException sql) {
            return SqlStates.meansUnavailable(sql.getSQLState());
        }
        if (e instanceof NoStackTraceThrowable) {
            return message.startsWith("Connection is not active");
        }
        if (e instanceof IOException io) {
            return isConnectionLost(io);
        }
        if (e instanceof ClosedConnectionException) {
            return true;
        }
        return e instanceof VertxException && message.equals(POOL_WAIT_TIMEOUT);
    }

    /**
     * The failure in {@code e} that means the database went away, looking through what it wraps and, for a
     * Hibernate Reactive transaction that failed and then could not roll back either, every failure Mutiny gathered
     * (a {@link CompositeException}); or null when there is none.
     */
    public static Throwable within(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (is(cause)) {
                return cause;
            }
            if (cause instanceof CompositeException composite) {
                for (Throwable one : composite.getCauses()) {
                    Throwable lost = one == composite ? null : within(one);
                    if (lost != null) {
                        return lost;
                    }
                }
            }
        }
        return null;
    }

    /**
     * Only the socket to the database can fail under a request with a bare I/O error: a reset or broken connection
     * (a plain IOException or SocketException from the client's read or write, as Netty's transports raise them) or a
     * closed channel. Any other IOException (a charset, a file, an end of stream) is not the database going away.
     */
    private static boolean isConnectionLost(IOException e) {
        if (e instanceof SocketException || e instanceof ClosedChannelException) {
            return true;
        }
        String message = String.valueOf(e.getMessage());
        return (e.getClass() == IOException.class || e.getClass().getName().equals(NETTY_NATIVE_IO))
                && CONNECTION_LOST.stream().anyMatch(message::contains);
    }
}

package org.flashsale.inventory.db;

import java.sql.SQLException;

import io.vertx.pgclient.PgException;

/**
 * The SQLSTATEs the services and the error mapping act on, named once (PostgreSQL's Appendix A), and the tests of a
 * failure against them: the reactive client's {@link PgException} alone, or wrapped by Hibernate Reactive (a
 * {@code ConstraintViolationException} around an {@link SQLException} or the PgException).
 */
public final class SqlStates {

    public static final String FOREIGN_KEY_VIOLATION = "23503";
    public static final String UNIQUE_VIOLATION = "23505";
    public static final String CHECK_VIOLATION = "23514";
    public static final String DEADLOCK_DETECTED = "40P01";
    /** A write on a node that is (now) a read-only standby: a failover moved the primary away. */
    public static final String READ_ONLY_SQL_TRANSACTION = "25006";
    /** Class 08: connection exceptions. */
    public static final String CONNECTION_EXCEPTION_CLASS = "08";
    public static final String ADMIN_SHUTDOWN = "57P01";
    public static final String CRASH_SHUTDOWN = "57P02";
    public static final String CANNOT_CONNECT_NOW = "57P03";

    private SqlStates() {
    }

    /** True when {@code failure} itself is the reactive client's failure with this SQLSTATE. */
    public static boolean is(Throwable failure, String sqlState) {
        return failure instanceof PgException pg && sqlState.equals(pg.getSqlState());
    }

    /** True when {@code failure}, or what it wraps, is a violation of this SQLSTATE (and this constraint, if named). */
    public static boolean violates(Throwable failure, String sqlState, String constraint) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof PgException pg && sqlState.equals(pg.getSqlState())
                    && (constraint == null || constraint.equals(pg.getConstraint()))) {
                return true;
            }
            if (cause instanceof org.hibernate.exception.ConstraintViolationException violation
                    && sqlState.equals(violation.getSQLState())
                    && (constraint == null || constraint.equals(violation.getConstraintName()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * "No database right now": a connection exception (class 08), the server shutting down or starting up, or a
     * write reaching a node that is no longer the primary (during a failover, until the balancer moves the connection).
     */
    public static boolean meansUnavailable(String sqlState) {
        return sqlState != null && (sqlState.startsWith(CONNECTION_EXCEPTION_CLASS) || sqlState.equals(ADMIN_SHUTDOWN)
                || sqlState.equals(CRASH_SHUTDOWN) || sqlState.equals(CANNOT_CONNECT_NOW)
                || sqlState.equals(READ_ONLY_SQL_TRANSACTION));
    }
}

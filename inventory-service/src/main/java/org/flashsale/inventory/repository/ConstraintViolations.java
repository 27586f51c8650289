package org.flashsale.inventory.repository;

import java.sql.SQLException;

import io.vertx.pgclient.PgException;

/**
 * Which constraint a failed write broke, whether the reactive client's {@link PgException} comes alone or wrapped by
 * Hibernate Reactive (a {@code ConstraintViolationException} around an {@link SQLException} or the PgException).
 */
public final class ConstraintViolations {

    public static final String UNIQUE = "23505";
    public static final String CHECK = "23514";

    private ConstraintViolations() {
    }

    /** True when {@code failure}, or what it wraps, is a violation of this SQLSTATE (and this constraint, if named). */
    public static boolean is(Throwable failure, String sqlState, String constraint) {
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
}

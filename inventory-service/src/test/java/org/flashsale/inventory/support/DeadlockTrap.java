package org.flashsale.inventory.support;

import io.vertx.mutiny.sqlclient.Pool;

/**
 * A trigger that fails the n-th row it sees with PostgreSQL's deadlock error (40P01), or another SQLSTATE, aborting
 * that statement whole.
 * Its rows are counted by a sequence, which a rollback does not undo, so the count also shows attempts made again.
 */
public final class DeadlockTrap {

    private final Pool pool;

    private DeadlockTrap(Pool pool) {
        this.pool = pool;
    }

    /** Arms the trap: {@code when} is the trigger's timing, e.g. "BEFORE INSERT ON holds FOR EACH ROW WHEN (…)". */
    public static DeadlockTrap arm(Pool pool, String when, int failingRow) {
        return arm(pool, when, failingRow, "40P01");
    }

    /** The same trap failing with {@code sqlState}. */
    public static DeadlockTrap arm(Pool pool, String when, int failingRow, String sqlState) {
        pool.query("CREATE SEQUENCE deadlock_trap_rows").executeAndAwait();
        pool.query("""
                CREATE FUNCTION deadlock_trap() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF nextval('deadlock_trap_rows') = %d THEN
                        RAISE EXCEPTION 'simulated failure' USING ERRCODE = '%s';
                    END IF;
                    RETURN NEW;
                END $$
                """.formatted(failingRow, sqlState)).executeAndAwait();
        pool.query("CREATE TRIGGER deadlock_trap " + when + " EXECUTE FUNCTION deadlock_trap()").executeAndAwait();
        return new DeadlockTrap(pool);
    }

    /** Rows the trigger has seen, the failed one and those of statements rolled back included. */
    public long rows() {
        return pool.query("SELECT last_value FROM deadlock_trap_rows").executeAndAwait().iterator().next().getLong(0);
    }

    /** Removes the trap (whichever table it was on); safe to call when none is armed. */
    public static void disarm(Pool pool) {
        pool.query("DROP FUNCTION IF EXISTS deadlock_trap() CASCADE").executeAndAwait();
        pool.query("DROP SEQUENCE IF EXISTS deadlock_trap_rows").executeAndAwait();
    }
}

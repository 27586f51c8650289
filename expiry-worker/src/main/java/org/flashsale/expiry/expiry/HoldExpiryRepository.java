package org.flashsale.expiry.expiry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The worker's SQL. The expire transition itself is the database function {@code expire_due_holds}, whose one home
 * is inventory-service's db/migration/R__expire_due_holds.sql, so this app does not copy it.
 */
@ApplicationScoped
public class HoldExpiryRepository {

    private static final String EXPIRE_BATCH = "SELECT * FROM expire_due_holds($1)";
    /**
     * Milliseconds from the database's now to the earliest ACTIVE expiry (negative when overdue). Both reads say
     * {@code ended_at IS NULL} (ACTIVE, by the table's CHECK) for holds_active_by_expiry, whose predicate it is
     * (inventory-service's V13__active_hold_lookup.sql).
     */
    private static final String UNTIL_NEXT_DUE = """
            SELECT (extract(epoch FROM min(expires_at) - now()) * 1000)::bigint AS millis
            FROM holds WHERE status = 'ACTIVE' AND ended_at IS NULL
            """;
    private static final String DUE_BACKLOG = """
            SELECT count(*) FROM holds WHERE status = 'ACTIVE' AND ended_at IS NULL AND expires_at <= now()
            """;

    private final Pool pool;

    public HoldExpiryRepository(Pool pool) {
        this.pool = pool;
    }

    /** Expires up to {@code batchSize} due holds in one statement (one transaction) and gives their stock back. */
    public Uni<List<ExpiredHold>> expireDueBatch(int batchSize) {
        return pool.preparedQuery(EXPIRE_BATCH).execute(Tuple.of(batchSize)).map(rows -> {
            List<ExpiredHold> expired = new ArrayList<>(rows.size());
            rows.forEach(row -> expired.add(toExpiredHold(row)));
            return expired;
        });
    }

    /** How long until the next ACTIVE hold is due, by the database clock; empty when no hold is active. */
    public Uni<Optional<Duration>> untilNextDue() {
        return pool.query(UNTIL_NEXT_DUE).execute().map(rows -> {
            Long millis = rows.iterator().next().getLong("millis");
            return Optional.ofNullable(millis).map(Duration::ofMillis);
        });
    }

    public Uni<Long> dueBacklog() {
        return pool.query(DUE_BACKLOG).execute().map(rows -> rows.iterator().next().getLong(0));
    }

    private static ExpiredHold toExpiredHold(Row row) {
        return new ExpiredHold(
                row.getUUID("hold_id"),
                row.getUUID("shopper_id"),
                row.getUUID("product_id"),
                row.getInteger("quantity"),
                row.getOffsetDateTime("expires_at").toInstant(),
                row.getOffsetDateTime("ended_at").toInstant());
    }
}

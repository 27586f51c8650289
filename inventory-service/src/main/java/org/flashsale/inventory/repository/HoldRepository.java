package org.flashsale.inventory.repository;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.inventory.Hold;
import org.flashsale.inventory.HoldStatus;

/**
 * The hold transitions, each one guarded statement that checks the state it moves from, so none can double-apply.
 * Every method takes the {@link SqlClient} to run on: the pool (autocommit) or a connection inside a transaction.
 */
@ApplicationScoped
public class HoldRepository {

    static final String COLUMNS = "id, product_id, quantity, status, price_cents, created_at, expires_at, ended_at";

    /** Reserve: one CTE statement, in its own file so that bench/reserve-ceiling.sh runs exactly it in pgbench. */
    private static final String RESERVE = Rows.sql("reserve.sql");
    /** Reserve when no single stripe covered the request: all stripes locked, taken from together (V3 migration). */
    private static final String RESERVE_ACROSS_STRIPES = "SELECT * FROM reserve_across_stripes($1, $2, $3, $4)";

    private static final String COMPLETE = """
            UPDATE holds SET status = 'COMPLETED', ended_at = now()
            WHERE id = $1 AND shopper_id = $2 AND status = 'ACTIVE' AND expires_at > now()
            RETURNING %s
            """.formatted(COLUMNS);

    /** Cancel: end the hold and give its units back to its stripe with a relative increment, in one statement. */
    private static final String CANCEL = """
            WITH cancelled AS (
                UPDATE holds SET status = 'CANCELLED', ended_at = now()
                WHERE id = $1 AND shopper_id = $2 AND status = 'ACTIVE'
                RETURNING %s, stripe
            ), restored AS (
                UPDATE stock_stripes s
                SET available_stock = s.available_stock + c.quantity, changes = s.changes + 1, updated_at = now()
                FROM cancelled c
                WHERE s.product_id = c.product_id AND s.stripe = c.stripe
                RETURNING s.product_id
            )
            SELECT cancelled.* FROM cancelled, restored
            """.formatted(COLUMNS);

    private static final String FIND = """
            SELECT %s, expires_at <= now() AS overdue FROM holds WHERE id = $1 AND shopper_id = $2
            """.formatted(COLUMNS);

    private static final String LIST = """
            SELECT %s FROM holds
            WHERE shopper_id = $1 AND ($2::text IS NULL OR status = $2)
            ORDER BY created_at DESC, id DESC
            LIMIT $3 OFFSET $4
            """.formatted(COLUMNS);

    /** The outcome of a reserve: the hold, and whether it merged into the shopper's active one. */
    public record Reserved(Hold hold, boolean merged) {
    }

    /** A hold as stored, with whether its expiry time has passed (by the database clock). */
    public record Found(Hold hold, boolean overdue) {
    }

    /** One page of a shopper's holds, newest first, and whether more follow it. */
    public record Page(List<Hold> holds, boolean hasMore) {
    }

    /**
     * The hold, or null when the product does not exist or has too little stock in all. One stripe is tried first
     * (the fast path, one statement); only when it could not cover the request are all stripes taken together.
     */
    public Uni<Reserved> reserve(SqlClient client, UUID shopperId, UUID productId, int quantity, Duration ttl) {
        Tuple arguments = Tuple.of(productId, shopperId, quantity, ttl.toMillis());
        return client.preparedQuery(RESERVE).execute(arguments)
                .map(rows -> Rows.firstOrNull(rows, HoldRepository::toReserved))
                .onItem().ifNull().switchTo(() -> client.preparedQuery(RESERVE_ACROSS_STRIPES).execute(arguments)
                        .map(rows -> Rows.firstOrNull(rows, HoldRepository::toReserved)));
    }

    public Uni<Hold> complete(SqlClient client, UUID shopperId, UUID holdId) {
        return client.preparedQuery(COMPLETE).execute(Tuple.of(holdId, shopperId))
                .map(rows -> Rows.firstOrNull(rows, HoldRepository::toHold));
    }

    public Uni<Hold> cancel(SqlClient client, UUID shopperId, UUID holdId) {
        return client.preparedQuery(CANCEL).execute(Tuple.of(holdId, shopperId))
                .map(rows -> Rows.firstOrNull(rows, HoldRepository::toHold));
    }

    /** The shopper's hold; another shopper's hold is not found, exactly as if it did not exist. */
    public Uni<Found> find(SqlClient client, UUID shopperId, UUID holdId) {
        return client.preparedQuery(FIND).execute(Tuple.of(holdId, shopperId))
                .map(rows -> Rows.firstOrNull(rows, row -> new Found(toHold(row), row.getBoolean("overdue"))));
    }

    public Uni<Page> list(SqlClient client, UUID shopperId, HoldStatus status, int page, int size) {
        return client.preparedQuery(LIST)
                .execute(Tuple.of(shopperId, status == null ? null : status.name(), size + 1, (long) page * size))
                .map(rows -> {
                    List<Hold> holds = new ArrayList<>(rows.size());
                    rows.forEach(row -> holds.add(toHold(row)));
                    boolean hasMore = holds.size() > size;
                    return new Page(hasMore ? holds.subList(0, size) : holds, hasMore);
                });
    }

    private static Reserved toReserved(Row row) {
        return new Reserved(toHold(row), row.getBoolean("merged"));
    }

    static Hold toHold(Row row) {
        int quantity = row.getInteger("quantity");
        long price = row.getLong("price_cents");
        return new Hold(
                row.getUUID("id"),
                row.getUUID("product_id"),
                quantity,
                HoldStatus.valueOf(row.getString("status")),
                price,
                row.getOffsetDateTime("created_at").toInstant(),
                row.getOffsetDateTime("expires_at").toInstant(),
                row.getOffsetDateTime("ended_at") == null ? null : row.getOffsetDateTime("ended_at").toInstant(),
                quantity * price);
    }
}

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
import org.flashsale.live.StockChange;

/**
 * The hold transitions, each one guarded statement that checks the state it moves from, so none can double-apply.
 * Every method takes the {@link SqlClient} to run on: the pool (autocommit) or a connection inside a transaction.
 */
@ApplicationScoped
public class HoldRepository {

    static final String COLUMNS = "id, product_id, quantity, status, price_cents, created_at, expires_at, ended_at";

    /** Reserve: one CTE statement, in its own file so that bench/reserve-ceiling.sh runs exactly it in pgbench. */
    private static final String RESERVE = Rows.sql("reserve.sql");

    private static final String COMPLETE = """
            UPDATE holds SET status = 'COMPLETED', ended_at = now()
            WHERE id = $1 AND shopper_id = $2 AND status = 'ACTIVE' AND expires_at > now()
            RETURNING %s
            """.formatted(COLUMNS);

    /** Cancel: end the hold and give its stock back with a relative increment, in one statement. */
    private static final String CANCEL = """
            WITH cancelled AS (
                UPDATE holds SET status = 'CANCELLED', ended_at = now()
                WHERE id = $1 AND shopper_id = $2 AND status = 'ACTIVE'
                RETURNING %s
            ), restored AS (
                UPDATE products p
                SET available_stock = p.available_stock + c.quantity, stock_version = p.stock_version + 1,
                    updated_at = now()
                FROM cancelled c
                WHERE p.id = c.product_id
                RETURNING p.id, p.available_stock, p.total_stock, p.stock_version, p.updated_at
            )
            SELECT cancelled.*, %s FROM cancelled, restored
            """.formatted(COLUMNS, Rows.stockColumnsOf("restored"));

    private static final String FIND = """
            SELECT %s, expires_at <= now() AS overdue FROM holds WHERE id = $1 AND shopper_id = $2
            """.formatted(COLUMNS);

    private static final String LIST = """
            SELECT %s FROM holds
            WHERE shopper_id = $1 AND ($2::text IS NULL OR status = $2)
            ORDER BY created_at DESC, id DESC
            LIMIT $3 OFFSET $4
            """.formatted(COLUMNS);

    /** The outcome of a reserve: the hold and the product's stock after it. */
    public record Reserved(Hold hold, boolean merged, StockChange stock) {
    }

    /** A cancelled hold and the product's stock after its units came back. */
    public record Cancelled(Hold hold, StockChange stock) {
    }

    /** A hold as stored, with whether its expiry time has passed (by the database clock). */
    public record Found(Hold hold, boolean overdue) {
    }

    /** One page of a shopper's holds, newest first, and whether more follow it. */
    public record Page(List<Hold> holds, boolean hasMore) {
    }

    public Uni<Reserved> reserve(SqlClient client, UUID shopperId, UUID productId, int quantity, Duration ttl) {
        return client.preparedQuery(RESERVE)
                .execute(Tuple.of(productId, shopperId, quantity, ttl.toMillis()))
                .map(rows -> Rows.firstOrNull(rows,
                        row -> new Reserved(toHold(row), row.getBoolean("merged"), Rows.stockChange(row))));
    }

    public Uni<Hold> complete(SqlClient client, UUID shopperId, UUID holdId) {
        return client.preparedQuery(COMPLETE).execute(Tuple.of(holdId, shopperId))
                .map(rows -> Rows.firstOrNull(rows, HoldRepository::toHold));
    }

    public Uni<Cancelled> cancel(SqlClient client, UUID shopperId, UUID holdId) {
        return client.preparedQuery(CANCEL).execute(Tuple.of(holdId, shopperId))
                .map(rows -> Rows.firstOrNull(rows, row -> new Cancelled(toHold(row), Rows.stockChange(row))));
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

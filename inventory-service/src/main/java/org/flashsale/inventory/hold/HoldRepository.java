package org.flashsale.inventory.hold;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.inventory.config.FlashSaleConfig;
import org.flashsale.inventory.db.Rows;
import org.flashsale.live.HoldStatus;

/**
 * The hold transitions, each one guarded statement that checks the state it moves from, so none can double-apply.
 * Each statement lives in one file: sql/reserve.sql (and its careful path, db/migration/R__reserve_checked.sql; the
 * group commit of many reserves of one product, db/migration/R__reserve_batch.sql),
 * sql/complete.sql, sql/cancel.sql. Expire is the database function in db/migration/R__expire_due_holds.sql, which the
 * expiry-worker runs.
 * Every method takes the {@link SqlClient} to run on: the pool (autocommit) or a connection inside a transaction.
 * A reserve's hold lives at most {@code flashsale.hold-max-lifetime} from its creation, however often it is merged.
 */
@ApplicationScoped
public class HoldRepository {

    static final String COLUMNS = "id, product_id, quantity, status, price_cents, amount_cents, created_at, expires_at, "
            + "latest_expires_at, ended_at";

    /** Reserve: one CTE statement, in its own file so that bench/reserve-ceiling.sh runs exactly it in pgbench. */
    private static final String RESERVE = Rows.sql("reserve.sql");
    /**
     * The careful path (db/migration/R__reserve_checked.sql): sale window, admission and its turn, per-shopper limit,
     * stock across stripes; it says why it refused. $6 is what one admission's turn grants: max-per-request units.
     */
    private static final String RESERVE_CHECKED = "SELECT * FROM reserve_checked($1, $2, $3, $4, $5, $6)";
    /** The group commit (db/migration/R__reserve_batch.sql): many reserves of one product, answers in order. */
    private static final String RESERVE_BATCH = "SELECT * FROM reserve_batch($1, $2, $3, $4, $5, $6, $7)";
    private static final String COMPLETE = Rows.sql("complete.sql");
    private static final String CANCEL = Rows.sql("cancel.sql");

    private static final String FIND = """
            SELECT %s, expires_at <= now() AS overdue FROM holds WHERE id = $1 AND shopper_id = $2
            """.formatted(COLUMNS);

    /** Several of the shopper's holds in one statement, in the order of the ids given (an order's lines). */
    private static final String FIND_ALL = """
            SELECT %s FROM unnest($1::uuid[]) WITH ORDINALITY AS wanted(id, n) JOIN holds USING (id)
            WHERE shopper_id = $2 ORDER BY wanted.n
            """.formatted(COLUMNS);

    private static final String LIST = """
            SELECT %s FROM holds
            WHERE shopper_id = $1 AND ($2::text IS NULL OR status = $2)
            ORDER BY created_at DESC, id DESC
            LIMIT $3 OFFSET $4
            """.formatted(COLUMNS);

    private final Duration maxLifetime;
    private final int turnUnits;

    public HoldRepository(FlashSaleConfig config) {
        this.maxLifetime = config.holdLifetime();
        this.turnUnits = config.maxPerRequest();
    }

    /**
     * Reserves, or says why not. The fast path (one statement, one stripe) serves a product on sale without a
     * per-shopper limit when one stripe covers the request; everything else, refusals included, is decided by the
     * careful path, also one statement.
     */
    public Uni<Reserved> reserve(SqlClient client, UUID shopperId, UUID productId, int quantity, Duration ttl) {
        Tuple arguments = Tuple.of(productId, shopperId, quantity, ttl.toMillis(), maxLifetime.toMillis());
        return client.preparedQuery(RESERVE).execute(arguments)
                .map(rows -> Rows.firstOrNull(rows,
                        row -> new Reserved(Outcome.RESERVED, toHold(row), row.getBoolean("merged"), null, null, null)))
                .onItem().ifNull().switchTo(() -> client.preparedQuery(RESERVE_CHECKED)
                        .execute(Tuple.of(productId, shopperId, quantity, ttl.toMillis(), maxLifetime.toMillis(),
                                turnUnits))
                        .map(rows -> toReserved(rows.iterator().next())));
    }

    /**
     * Reserves for each (shopper, quantity) of one product in arrival order, in one statement and one commit; each
     * gets the outcome it would have had alone, after the ones before it. A request with a key (null: none) is
     * claimed, replayed or refused as KEY_REUSED by its key in the same statement; no key twice in a batch.
     */
    public Uni<List<Reserved>> reserveBatch(SqlClient client, UUID productId, List<UUID> shopperIds,
            List<Integer> quantities, List<IdempotencyKey> keys, Duration ttl) {
        boolean keyed = keys.stream().anyMatch(Objects::nonNull);
        Tuple arguments = Tuple.from(Arrays.asList(productId, shopperIds.toArray(UUID[]::new),
                quantities.toArray(Integer[]::new),
                keyed ? keys.stream().map(key -> key == null ? null : key.key()).toArray(String[]::new) : null,
                keyed ? keys.stream().map(key -> key == null ? null : key.requestHash()).toArray(String[]::new) : null,
                ttl.toMillis(), maxLifetime.toMillis()));
        return client.preparedQuery(RESERVE_BATCH).execute(arguments).map(rows -> {
            Reserved[] answers = new Reserved[shopperIds.size()];
            rows.forEach(row -> answers[row.getInteger("ordinal") - 1] = toReserved(row));
            return List.of(answers);
        });
    }

    /**
     * Pays one hold as an order of one, and reads it back in the same statement: whether it was paid now, the hold as
     * it is then (paid, or why not) and its buyer's handle; null when the shopper has no hold of that id.
     */
    public Uni<Completion> complete(SqlClient client, UUID shopperId, UUID holdId) {
        return client.preparedQuery(COMPLETE).execute(Tuple.of(holdId, shopperId))
                .map(rows -> Rows.firstOrNull(rows, row -> new Completion("CREATED".equals(row.getString("outcome")),
                        new Found(toHold(row), row.getBoolean("overdue")), row.getString("buyer"))));
    }

    /** What completing a hold did: paid it now or not, and the hold as it is after. */
    public record Completion(boolean paidNow, Found found, String buyer) {
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

    /** The shopper's holds of these ids, in their order; another shopper's are left out, as {@link #find} does. */
    public Uni<List<Hold>> findAll(SqlClient client, UUID shopperId, List<UUID> holdIds) {
        return client.preparedQuery(FIND_ALL).execute(Tuple.of(holdIds.toArray(UUID[]::new), shopperId))
                .map(rows -> {
                    List<Hold> holds = new ArrayList<>(rows.size());
                    rows.forEach(row -> holds.add(toHold(row)));
                    return holds;
                });
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
        Outcome outcome = Outcome.valueOf(row.getString("outcome"));
        return switch (outcome) {
            case RESERVED -> new Reserved(outcome, toHold(row), row.getBoolean("merged"), null, null, null);
            case REPLAYED -> Reserved.settled(outcome, toHold(row), row.getBoolean("merged"));
            case SALE_NOT_ACTIVE -> new Reserved(outcome, null, false, null, null, new SaleWindow(
                    instant(row, "sale_starts_at"), instant(row, "sale_ends_at"), row.getBoolean("sale_ended")));
            case NOT_ADMITTED -> new Reserved(outcome, null, false, null, null, null,
                    row.getString("queue_state") == null ? null
                            : new QueuePlace(row.getInteger("queue_position"), row.getString("queue_state")));
            default -> new Reserved(outcome, null, false, row.getInteger("available"), row.getInteger("remaining"), null);
        };
    }

    static Hold toHold(Row row) {
        return new Hold(
                row.getUUID("id"),
                row.getUUID("product_id"),
                row.getInteger("quantity"),
                HoldStatus.valueOf(row.getString("status")),
                row.getLong("price_cents"),
                instant(row, "created_at"),
                instant(row, "expires_at"),
                instant(row, "latest_expires_at"),
                instant(row, "ended_at"),
                row.getLong("amount_cents"));
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}

package org.flashsale.inventory.queue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.inventory.db.Rows;
import org.flashsale.inventory.queue.QueueStatus.Phase;
import org.flashsale.inventory.queue.QueueTicket.QueueState;

/**
 * The waiting room's shopper side: join, read one's place, leave, and the public status. A join is one
 * INSERT … ON CONFLICT DO NOTHING on queue_entries and never locks the product, so a crowd can join one product at
 * once, and joining twice keeps the first place. Placing, the draw, admission and lapses are the keeper's
 * (db/migration/R__keep_queues.sql, run by the expiry-worker); using an admission is reserve's
 * (db/migration/R__reserve_checked.sql). The rules the statements share are SQL functions the planner inlines, each
 * in its db/migration/R__&lt;function&gt;.sql: queue_entry_state, admission_open, admitted_last_minute, sale_has_ended.
 */
@ApplicationScoped
public class QueueRepository {

    /** A draw key's length: SHA-256. */
    private static final int DRAW_KEY_BYTES = 32;

    /** Joins when the queue is open; says why not otherwise. No row: no such product. */
    private static final String JOIN = """
            WITH product AS (
                SELECT p.id, p.queue, p.queue_opens_at,
                       pq.closed_at IS NOT NULL OR sale_has_ended(p.sale_ends_at) AS closed,
                       p.queue_opens_at IS NOT NULL AND now() < p.queue_opens_at AS not_yet
                FROM products p LEFT JOIN product_queues pq ON pq.product_id = p.id
                WHERE p.id = $1
            ), joined AS (
                INSERT INTO queue_entries (product_id, shopper_id)
                SELECT id, $2 FROM product WHERE queue AND NOT closed AND NOT not_yet
                ON CONFLICT DO NOTHING
                RETURNING 1
            )
            SELECT queue, queue_opens_at, closed, not_yet, (SELECT count(*) FROM joined) = 1 AS joined FROM product
            """;

    /**
     * A shopper's entry: an admission past its deadline reads LAPSED at once (the keeper marks it so on its next run;
     * reserve already refuses it). Who is ahead and the admission rate only while waiting and placed.
     */
    private static final String TICKET = """
            SELECT e.product_id, e.position, e.joined_at, e.admission_expires_at,
                   queue_entry_state(e.state, e.admission_expires_at) AS state,
                   CASE WHEN e.state = 'WAITING' AND e.position IS NOT NULL THEN
                       (SELECT count(*) FROM queue_entries w
                        WHERE w.product_id = e.product_id AND w.state = 'WAITING' AND w.position < e.position) END
                       AS ahead,
                   CASE WHEN e.state = 'WAITING' AND e.position IS NOT NULL THEN
                       (SELECT rate.admitted FROM admitted_last_minute(e.product_id) rate) END AS admitted_last_minute
            FROM queue_entries e
            WHERE e.product_id = $1 AND e.shopper_id = $2
            """;

    /**
     * The entries of the given shoppers (those connected to this instance) in one product's queue, as {@link #TICKET}
     * reads one, in one statement however many they are. Who is ahead is one ordered pass over the waiting positions
     * (an index-only scan of queue_entries_waiting, up to the last of these shoppers' places), numbered by a window
     * function: not a count per shopper. The admission rate is counted once.
     */
    private static final String TICKETS = """
            WITH mine AS (
                SELECT e.shopper_id, e.position, e.joined_at, e.admission_expires_at,
                       queue_entry_state(e.state, e.admission_expires_at) AS state,
                       e.state = 'WAITING' AND e.position IS NOT NULL AS placed_waiting
                FROM queue_entries e
                WHERE e.product_id = $1 AND e.shopper_id = ANY($2)
            ), ranked AS (
                SELECT w.position, row_number() OVER (ORDER BY w.position) - 1 AS ahead
                FROM queue_entries w
                WHERE w.product_id = $1 AND w.state = 'WAITING' AND w.position IS NOT NULL
                  AND w.position <= (SELECT max(m.position) FROM mine m WHERE m.placed_waiting)
            )
            SELECT m.shopper_id, m.position, m.joined_at, m.admission_expires_at, m.state, r.ahead,
                   CASE WHEN m.placed_waiting THEN (SELECT rate.admitted FROM admitted_last_minute($1) rate) END
                       AS admitted_last_minute
            FROM mine m LEFT JOIN ranked r ON m.placed_waiting AND r.position = m.position
            """;

    /** The queues whose shoppers may still hear news: open ones, and those closed in the last minute. */
    private static final String LIVE_QUEUES = """
            SELECT pq.product_id FROM product_queues pq
            WHERE pq.closed_at IS NULL OR pq.closed_at > now() - interval '1 minute'
            """;

    /** Leaving gives up a place still in play; a finished entry stays, so it cannot be traded for a new place. */
    private static final String LEAVE = """
            DELETE FROM queue_entries WHERE product_id = $1 AND shopper_id = $2 AND state IN ('WAITING', 'ADMITTED')
            """;

    private static final String STATUS = """
            SELECT p.id, p.queue, p.queue_opens_at, p.sale_starts_at, pq.draw_seed, pq.drawn_at, pq.draw_cutoff,
                   pq.draw_entrants, pq.paused_at IS NOT NULL AS paused,
                   pq.closed_at IS NOT NULL OR sale_has_ended(p.sale_ends_at) AS closed,
                   p.queue_opens_at IS NOT NULL AND now() < p.queue_opens_at AS not_yet,
                   (SELECT count(*) FROM queue_entries e WHERE e.product_id = p.id AND e.state = 'WAITING') AS waiting,
                   (SELECT count(*) FROM queue_entries e
                    WHERE e.product_id = p.id AND admission_open(e.state, e.admission_expires_at)) AS admitted
            FROM products p LEFT JOIN product_queues pq ON pq.product_id = p.id
            WHERE p.id = $1
            """;

    /**
     * A page of the published draw: the keys of places {@code $2} … {@code $2 + $3 - 1}, 32 bytes each, sliced from
     * the draw's stored keys (product_queues.draw_keys, V9__published_draw.sql; keep_queues writes them at the draw
     * and nothing changes them after it). One row; no row: no such product.
     */
    private static final String DRAW = """
            SELECT pq.draw_seed, pq.draw_cutoff, pq.draw_entrants,
                   substring(pq.draw_keys FROM least(($2::bigint - 1) * 32 + 1, 2147483647)::integer
                             FOR $3::integer * 32) AS keys
            FROM products p LEFT JOIN product_queues pq ON pq.product_id = p.id
            WHERE p.id = $1
            """;

    /**
     * Pauses ($2 true) or resumes a queued product's admissions: the queue row's lock, which the keeper takes too
     * (db/migration/R__keep_queues.sql), orders it with every keeper run. Pausing a paused queue keeps its first
     * pause time. One row saying whether the product is queued; no row: no such product.
     */
    private static final String PAUSE = """
            WITH product AS (
                SELECT p.id, p.queue FROM products p WHERE p.id = $1
            ), paused AS (
                INSERT INTO product_queues AS pq (product_id, paused_at)
                SELECT id, CASE WHEN $2 THEN now() END FROM product WHERE queue
                ON CONFLICT (product_id) DO UPDATE
                SET paused_at = CASE WHEN $2 THEN coalesce(pq.paused_at, now()) END
                RETURNING 1
            )
            SELECT queue, (SELECT count(*) FROM paused) AS changed FROM product
            """;

    /** 32 zero bytes: a place given up before the draw's keys were stored (V9), published without a key. */
    private static final byte[] NO_KEY = new byte[DRAW_KEY_BYTES];

    /** Joins the product's queue; null when there is no such product. */
    public Uni<Join> join(SqlClient client, UUID productId, UUID shopperId) {
        return client.preparedQuery(JOIN).execute(Tuple.of(productId, shopperId))
                .map(rows -> Rows.firstOrNull(rows, QueueRepository::toJoin));
    }

    public Uni<Entry> entry(SqlClient client, UUID productId, UUID shopperId) {
        return client.preparedQuery(TICKET).execute(Tuple.of(productId, shopperId))
                .map(rows -> Rows.firstOrNull(rows, row -> new Entry(row.getUUID("product_id"),
                        QueueState.valueOf(row.getString("state")), row.getInteger("position"), row.getLong("ahead"),
                        row.getLong("admitted_last_minute"), instant(row, "admission_expires_at"),
                        instant(row, "joined_at"))));
    }

    /** The entries of these shoppers in the product's queue, by shopper; those not in it are absent. */
    public Uni<Map<UUID, Entry>> entries(SqlClient client, UUID productId, UUID[] shopperIds) {
        return client.preparedQuery(TICKETS).execute(Tuple.of(productId, shopperIds)).map(rows -> {
            Map<UUID, Entry> entries = new HashMap<>(rows.size() * 2);
            for (Row row : rows) {
                entries.put(row.getUUID("shopper_id"), new Entry(productId, QueueState.valueOf(row.getString("state")),
                        row.getInteger("position"), row.getLong("ahead"), row.getLong("admitted_last_minute"),
                        instant(row, "admission_expires_at"), instant(row, "joined_at")));
            }
            return entries;
        });
    }

    /** The products whose queues are open or closed within the last minute (what a resync re-reads). */
    public Uni<List<UUID>> liveQueues(SqlClient client) {
        return client.query(LIVE_QUEUES).execute().map(rows -> {
            List<UUID> products = new ArrayList<>(rows.size());
            rows.forEach(row -> products.add(row.getUUID("product_id")));
            return products;
        });
    }

    /** Leaves the queue; whether a place was given up. */
    public Uni<Boolean> leave(SqlClient client, UUID productId, UUID shopperId) {
        return client.preparedQuery(LEAVE).execute(Tuple.of(productId, shopperId)).map(rows -> rows.rowCount() == 1);
    }

    /** The product's queue as anyone may see it; null when there is no such product. */
    public Uni<QueueStatus> status(SqlClient client, UUID productId) {
        return client.preparedQuery(STATUS).execute(Tuple.of(productId))
                .map(rows -> Rows.firstOrNull(rows, QueueRepository::toStatus));
    }

    /** Pauses or resumes the product's admissions; whether it is queued (null: no such product). */
    public Uni<Boolean> pause(SqlClient client, UUID productId, boolean paused) {
        return client.preparedQuery(PAUSE).execute(Tuple.of(productId, paused))
                .map(rows -> Rows.firstOrNull(rows, row -> row.getBoolean("queue")));
    }

    /**
     * The draw's places from position {@code from} on, at most {@code limit}; empty before the draw and past its end;
     * null when there is no such product.
     */
    public Uni<QueueDraw> draw(SqlClient client, UUID productId, int from, int limit) {
        return client.preparedQuery(DRAW).execute(Tuple.of(productId, from, limit))
                .map(rows -> Rows.firstOrNull(rows, row -> toDraw(productId, from, limit, row)));
    }

    private static QueueDraw toDraw(UUID productId, int from, int limit, Row row) {
        Integer entrants = row.getInteger("draw_entrants");
        Buffer keys = row.getBuffer("keys");
        List<QueueDraw.Place> places = new ArrayList<>(keys == null ? 0 : keys.length() / DRAW_KEY_BYTES);
        HexFormat hex = HexFormat.of();
        for (int i = 0; keys != null && i + DRAW_KEY_BYTES <= keys.length(); i += DRAW_KEY_BYTES) {
            byte[] key = keys.getBytes(i, i + DRAW_KEY_BYTES);
            if (!Arrays.equals(key, NO_KEY)) {
                places.add(new QueueDraw.Place(from + i / DRAW_KEY_BYTES, hex.formatHex(key)));
            }
        }
        long after = (long) from + limit;
        Integer next = entrants != null && after <= entrants ? (int) after : null;
        return new QueueDraw(productId, row.getString("draw_seed"), instant(row, "draw_cutoff"), entrants, places,
                next);
    }

    private static Join toJoin(Row row) {
        Instant opensAt = instant(row, "queue_opens_at");
        if (!row.getBoolean("queue")) {
            return new Join(JoinOutcome.NOT_QUEUED, null);
        }
        if (row.getBoolean("closed")) {
            return new Join(JoinOutcome.CLOSED, null);
        }
        if (row.getBoolean("not_yet")) {
            return new Join(JoinOutcome.NOT_OPEN_YET, opensAt);
        }
        return new Join(row.getBoolean("joined") ? JoinOutcome.JOINED : JoinOutcome.ALREADY_IN, null);
    }

    private static QueueStatus toStatus(Row row) {
        Instant drawnAt = instant(row, "drawn_at");
        Phase phase;
        if (!row.getBoolean("queue")) {
            phase = Phase.NOT_QUEUED;
        } else if (row.getBoolean("closed")) {
            phase = Phase.CLOSED;
        } else if (row.getBoolean("not_yet")) {
            phase = Phase.SCHEDULED;
        } else {
            phase = drawnAt == null ? Phase.OPEN : Phase.ADMITTING;
        }
        return new QueueStatus(row.getUUID("id"), phase, instant(row, "queue_opens_at"),
                instant(row, "sale_starts_at"), row.getLong("waiting"), row.getLong("admitted"), drawnAt,
                row.getString("draw_seed"), row.getInteger("draw_entrants"), instant(row, "draw_cutoff"),
                QueueStatus.DRAW_RECIPE, row.getBoolean("paused"));
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}

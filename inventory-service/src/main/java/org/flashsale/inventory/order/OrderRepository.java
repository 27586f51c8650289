package org.flashsale.inventory.order;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Orders: placing one is the database function place_order (db/migration/R__place_order.sql, the one home of paying
 * holds, all or none); reading them is the orders with their lines, the caller's only.
 */
@ApplicationScoped
public class OrderRepository {

    private static final String PLACE = "SELECT * FROM place_order($1, $2, $3, $4)";
    private static final String LINES = """
            SELECT o.id, o.number, o.created_at, l.hold_id, l.product_id, p.name, l.quantity, l.unit_price_cents,
                   l.amount_cents, l.currency
            FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN products p ON p.id = l.product_id
            WHERE o.id = ANY($1) AND o.shopper_id = $2
            ORDER BY o.created_at DESC, o.number DESC, l.hold_id
            """;
    private static final String PAGE = """
            SELECT o.id FROM orders o WHERE o.shopper_id = $1
            ORDER BY o.created_at DESC, o.number DESC LIMIT $2 OFFSET $3
            """;

    /** What place_order did. */
    public record Placed(Outcome outcome, UUID orderId, UUID holdId, String holdStatus, String buyer) {
    }

    public enum Outcome {
        CREATED, REPLAYED, KEY_REUSED, NOT_FOUND, NOT_ACTIVE
    }

    public Uni<Placed> place(SqlClient client, UUID shopperId, UUID[] holdIds, String key, String requestHash) {
        return client.preparedQuery(PLACE).execute(Tuple.of(shopperId, holdIds, key, requestHash)).map(rows -> {
            Row row = rows.iterator().next();
            return new Placed(Outcome.valueOf(row.getString("outcome")), row.getUUID("order_id"),
                    row.getUUID("hold_id"), row.getString("hold_status"), row.getString("buyer"));
        });
    }

    /** The shopper's order; null for an order that is not theirs or does not exist. */
    public Uni<Order> find(SqlClient client, UUID shopperId, UUID orderId) {
        return client.preparedQuery(LINES).execute(Tuple.of(new UUID[] { orderId }, shopperId))
                .map(rows -> {
                    List<Order> orders = toOrders(rows);
                    return orders.isEmpty() ? null : orders.get(0);
                });
    }

    /** A page of the shopper's orders, newest first. */
    public Uni<OrderPage> page(SqlClient client, UUID shopperId, int page, int size) {
        return client.preparedQuery(PAGE).execute(Tuple.of(shopperId, size + 1, (long) page * size)).chain(ids -> {
            List<UUID> found = new ArrayList<>();
            ids.forEach(row -> found.add(row.getUUID("id")));
            boolean hasMore = found.size() > size;
            List<UUID> shown = hasMore ? found.subList(0, size) : found;
            if (shown.isEmpty()) {
                return Uni.createFrom().item(new OrderPage(List.of(), page, size, false));
            }
            return client.preparedQuery(LINES).execute(Tuple.of(shown.toArray(UUID[]::new), shopperId))
                    .map(rows -> new OrderPage(toOrders(rows), page, size, hasMore));
        });
    }

    /** Rows of lines, grouped by order in their order; totals per currency. */
    private static List<Order> toOrders(RowSet<Row> rows) {
        Map<UUID, List<Order.Line>> lines = new LinkedHashMap<>();
        Map<UUID, Row> heads = new LinkedHashMap<>();
        for (Row row : rows) {
            UUID id = row.getUUID("id");
            heads.putIfAbsent(id, row);
            lines.computeIfAbsent(id, k -> new ArrayList<>()).add(new Order.Line(row.getUUID("hold_id"),
                    row.getUUID("product_id"), row.getString("name"), row.getInteger("quantity"),
                    row.getLong("unit_price_cents"), row.getLong("amount_cents"), row.getString("currency")));
        }
        List<Order> orders = new ArrayList<>(heads.size());
        heads.forEach((id, head) -> {
            Map<String, Long> totals = new TreeMap<>();
            lines.get(id).forEach(line -> totals.merge(line.currency(), line.amountCents(), Long::sum));
            List<Order.Total> byCurrency = new ArrayList<>();
            totals.forEach((currency, amount) -> byCurrency.add(new Order.Total(currency, amount)));
            OffsetDateTime created = head.getOffsetDateTime("created_at");
            orders.add(new Order(id, head.getLong("number"), created.toInstant(), lines.get(id), byCurrency));
        });
        return orders;
    }
}

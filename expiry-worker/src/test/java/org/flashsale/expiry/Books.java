package org.flashsale.expiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Seeds products and holds straight into the database, and checks that the stock books balance. */
final class Books {

    private Books() {
    }

    /**
     * A product with {@code shoppers} ACTIVE holds of 1..3 units each, due {@code dueInMillis} from now (negative:
     * already due); the holds' units are taken from the product's stock, as reserve does.
     */
    static UUID productWithHolds(Pool pool, int totalStock, int shoppers, long dueInMillis) {
        UUID product = pool.preparedQuery("""
                INSERT INTO products (sku, name, price_cents, total_stock, available_stock)
                VALUES ('SEED-' || gen_random_uuid(), 'Seeded', 1000, $1, $1) RETURNING id
                """).executeAndAwait(Tuple.of(totalStock)).iterator().next().getUUID("id");
        pool.preparedQuery("""
                WITH s AS (
                    INSERT INTO shoppers SELECT gen_random_uuid() FROM generate_series(1, $2) RETURNING id
                ), h AS (
                    INSERT INTO holds (product_id, shopper_id, quantity, price_cents, expires_at)
                    SELECT $1, s.id, 1 + (random() * 2)::int, 1000, now() + $3 * interval '1 millisecond' FROM s
                    RETURNING quantity
                )
                UPDATE products SET available_stock = available_stock - (SELECT sum(quantity) FROM h) WHERE id = $1
                """).executeAndAwait(Tuple.of(product, shoppers, dueInMillis));
        return product;
    }

    record Line(UUID productId, int total, int available, long active, long completed, long expired) {
    }

    static List<Line> lines(Pool pool) {
        List<Line> lines = new ArrayList<>();
        for (Row row : pool.query("""
                SELECT p.id, p.total_stock, p.available_stock,
                       coalesce(sum(h.quantity) FILTER (WHERE h.status = 'ACTIVE'), 0) AS active,
                       coalesce(sum(h.quantity) FILTER (WHERE h.status = 'COMPLETED'), 0) AS completed,
                       coalesce(sum(h.quantity) FILTER (WHERE h.status = 'EXPIRED'), 0) AS expired
                FROM products p LEFT JOIN holds h ON h.product_id = p.id GROUP BY p.id
                """).executeAndAwait()) {
            lines.add(new Line(row.getUUID("id"), row.getInteger("total_stock"), row.getInteger("available_stock"),
                    row.getLong("active"), row.getLong("completed"), row.getLong("expired")));
        }
        return lines;
    }

    static Line of(Pool pool, UUID product) {
        return lines(pool).stream().filter(l -> l.productId().equals(product)).findFirst().orElseThrow();
    }

    /** total = available + active + completed, and no stock below zero, for every product. */
    static void assertBalanced(Pool pool) {
        for (Line line : lines(pool)) {
            assertTrue(line.available() >= 0, () -> "negative stock: " + line);
            assertEquals(line.total(), line.available() + line.active() + line.completed(),
                    () -> "books do not balance: " + line);
        }
    }

    static long count(Pool pool, UUID product, String status) {
        return pool.preparedQuery("SELECT count(*) FROM holds WHERE product_id = $1 AND status = $2")
                .executeAndAwait(Tuple.of(product, status)).iterator().next().getLong(0);
    }
}

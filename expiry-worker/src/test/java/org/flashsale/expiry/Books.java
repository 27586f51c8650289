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
        return stripedProductWithHolds(pool, 1, totalStock, shoppers, dueInMillis);
    }

    /** The same, with {@code perStripe} units on each of {@code stripes} stripes and the holds taken round-robin. */
    static UUID stripedProductWithHolds(Pool pool, int stripes, int perStripe, int shoppers, long dueInMillis) {
        UUID product = pool.preparedQuery("""
                WITH p AS (
                    INSERT INTO products (sku, name, price_cents, total_stock, stripes)
                    VALUES ('SEED-' || gen_random_uuid(), 'Seeded', 1000, $1::integer * $2::integer, $1) RETURNING id
                )
                INSERT INTO stock_stripes (product_id, stripe, available_stock)
                SELECT id, g, $2 FROM p, generate_series(0, $1::integer - 1) g RETURNING product_id
                """).executeAndAwait(Tuple.of(stripes, perStripe)).iterator().next().getUUID("product_id");
        pool.preparedQuery("""
                WITH s AS (
                    INSERT INTO shoppers SELECT gen_random_uuid() FROM generate_series(1, $2) RETURNING id
                ), h AS (
                    INSERT INTO holds (product_id, shopper_id, quantity, price_cents, expires_at, stripe)
                    SELECT $1, s.id, 1 + (random() * 2)::int, 1000, now() + $3 * interval '1 millisecond',
                           row_number() OVER () % $4::integer
                    FROM s
                    RETURNING stripe, quantity
                )
                UPDATE stock_stripes st SET available_stock = st.available_stock - t.units
                FROM (SELECT stripe, sum(quantity) AS units FROM h GROUP BY stripe) t
                WHERE st.product_id = $1 AND st.stripe = t.stripe
                """).executeAndAwait(Tuple.of(product, shoppers, dueInMillis, stripes));
        return product;
    }

    /** Each stripe's available stock, in stripe order. */
    static List<Integer> stripes(Pool pool, UUID product) {
        List<Integer> stripes = new ArrayList<>();
        pool.preparedQuery("SELECT available_stock FROM stock_stripes WHERE product_id = $1 ORDER BY stripe")
                .executeAndAwait(Tuple.of(product)).forEach(row -> stripes.add(row.getInteger(0)));
        return stripes;
    }

    record Line(UUID productId, int total, int available, long active, long completed, long expired) {
    }

    static List<Line> lines(Pool pool) {
        List<Line> lines = new ArrayList<>();
        for (Row row : pool.query("""
                SELECT b.product_id AS id, b.total_stock, b.available_stock, b.active, b.completed,
                       (SELECT coalesce(sum(quantity), 0) FROM holds h
                        WHERE h.product_id = b.product_id AND h.status = 'EXPIRED') AS expired
                FROM stock_books b
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

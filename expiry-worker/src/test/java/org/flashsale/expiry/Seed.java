package org.flashsale.expiry;

import java.util.UUID;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Seeds products and holds straight into the database, as reserve would have left them. */
final class Seed {

    private Seed() {
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
                    INSERT INTO holds (product_id, shopper_id, quantity, price_cents, amount_cents, expires_at,
                                       latest_expires_at, stripe)
                    SELECT $1, q.id, q.units, 1000, q.units * 1000, now() + $3 * interval '1 millisecond',
                           now() + $3 * interval '1 millisecond', row_number() OVER () % $4::integer
                    FROM (SELECT s.id, 1 + (random() * 2)::int AS units FROM s) q
                    RETURNING stripe, quantity
                )
                UPDATE stock_stripes st SET available_stock = st.available_stock - t.units
                FROM (SELECT stripe, sum(quantity) AS units FROM h GROUP BY stripe) t
                WHERE st.product_id = $1 AND st.stripe = t.stripe
                """).executeAndAwait(Tuple.of(product, shoppers, dueInMillis, stripes));
        return product;
    }
}

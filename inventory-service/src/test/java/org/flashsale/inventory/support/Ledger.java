package org.flashsale.inventory.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads the stock books straight from the database and checks that they balance. */
public final class Ledger {

    private static final String BOOKS = """
            SELECT product_id AS id, total_stock, available_stock, active, completed FROM stock_books
            """;

    private Ledger() {
    }

    public record Books(UUID productId, int total, int available, long active, long completed) {
    }

    public static List<Books> all(Pool pool) {
        List<Books> books = new ArrayList<>();
        for (Row row : pool.query(BOOKS).executeAndAwait()) {
            books.add(new Books(row.getUUID("id"), row.getInteger("total_stock"), row.getInteger("available_stock"),
                    row.getLong("active"), row.getLong("completed")));
        }
        return books;
    }

    public static Books of(Pool pool, UUID productId) {
        return all(pool).stream().filter(b -> b.productId().equals(productId)).findFirst().orElseThrow();
    }

    /** total = available + active + completed, and no stock below zero, for every product. */
    public static void assertBalanced(Pool pool) {
        List<Books> books = all(pool);
        assertTrue(!books.isEmpty(), "no products to check");
        for (Books b : books) {
            assertTrue(b.available() >= 0, () -> "negative stock: " + b);
            assertEquals(b.total(), b.available() + b.active() + b.completed(), () -> "books do not balance: " + b);
        }
    }

    /** Each stripe's available stock, in stripe order. */
    public static List<Integer> stripes(Pool pool, UUID productId) {
        List<Integer> stripes = new ArrayList<>();
        pool.preparedQuery("SELECT available_stock FROM stock_stripes WHERE product_id = $1 ORDER BY stripe")
                .executeAndAwait(Tuple.of(productId)).forEach(row -> stripes.add(row.getInteger(0)));
        return stripes;
    }

    public static long holdsOf(Pool pool, UUID shopperId) {
        return pool.preparedQuery("SELECT count(*) FROM holds WHERE shopper_id = $1")
                .executeAndAwait(Tuple.of(shopperId)).iterator().next().getLong(0);
    }

    public static long countHolds(Pool pool, UUID productId, String status) {
        return pool.preparedQuery("SELECT count(*) FROM holds WHERE product_id = $1 AND status = $2")
                .executeAndAwait(Tuple.of(productId, status)).iterator().next().getLong(0);
    }

    /** Moves a hold's expiry into the past, as if its time had run out. */
    public static void expireNow(Pool pool, UUID holdId) {
        pool.preparedQuery("UPDATE holds SET expires_at = now() - interval '1 millisecond' WHERE id = $1")
                .executeAndAwait(Tuple.of(holdId));
    }

    /** Runs the expire transition (what the expiry worker runs) until nothing is due; returns the holds expired. */
    public static int runExpiry(Pool pool) {
        int expired = 0;
        int batch;
        do {
            batch = pool.query("SELECT * FROM expire_due_holds(500)").executeAndAwait().size();
            expired += batch;
        } while (batch > 0);
        return expired;
    }
}

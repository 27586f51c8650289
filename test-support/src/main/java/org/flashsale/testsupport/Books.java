package org.flashsale.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The stock books, one line per product, read from the {@code stock_books} view (the one home of that question):
 * they balance when total = available + active + completed and no stock is below zero.
 */
public record Books(List<Line> lines) {

    private static final String QUERY = """
            SELECT product_id, total_stock, available_stock, active, completed FROM stock_books
            """;

    /** One product's books. */
    public record Line(UUID productId, int total, int available, long active, long completed) {

        public boolean balanced() {
            return available >= 0 && total == available + active + completed;
        }
    }

    /** The books as a Quarkus test reads them, on the application's reactive pool. */
    public static Books read(Pool pool) {
        List<Line> lines = new ArrayList<>();
        for (Row row : pool.query(QUERY).executeAndAwait()) {
            lines.add(new Line(row.getUUID("product_id"), row.getInteger("total_stock"),
                    row.getInteger("available_stock"), row.getLong("active"), row.getLong("completed")));
        }
        return new Books(List.copyOf(lines));
    }

    /** The books as a test outside the application reads them, over JDBC. */
    public static Books read(Connection connection) {
        List<Line> lines = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(QUERY)) {
            while (rows.next()) {
                lines.add(new Line(rows.getObject("product_id", UUID.class), rows.getInt("total_stock"),
                        rows.getInt("available_stock"), rows.getLong("active"), rows.getLong("completed")));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Books(List.copyOf(lines));
    }

    /** Each stripe's available stock, in stripe order; their sum is the product's available stock. */
    public static List<Integer> stripes(Pool pool, UUID productId) {
        List<Integer> stripes = new ArrayList<>();
        pool.preparedQuery("SELECT available_stock FROM stock_stripes WHERE product_id = $1 ORDER BY stripe")
                .executeAndAwait(Tuple.of(productId)).forEach(row -> stripes.add(row.getInteger(0)));
        return stripes;
    }

    public Line of(UUID productId) {
        return lines.stream().filter(line -> line.productId().equals(productId)).findFirst()
                .orElseThrow(() -> new AssertionError("no books for product " + productId));
    }

    /** There is something to check, and every product's books balance. */
    public void assertBalanced() {
        assertFalse(lines.isEmpty(), "no products to check");
        for (Line line : lines) {
            assertTrue(line.available() >= 0, () -> "negative stock: " + line);
            assertEquals(line.total(), line.available() + line.active() + line.completed(),
                    () -> "books do not balance: " + line);
        }
    }
}

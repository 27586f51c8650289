package org.flashsale.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
 * they balance when total = available + active + completed, and every active hold can give its units back, to the
 * stripe it took them from (stripes are never deleted; no foreign key says so). Stock below zero is not checked
 * here: a CHECK on every stripe already forbids it.
 */
public record Books(List<Line> lines, List<UUID> holdsWithoutTheirStripe) {

    private static final String QUERY = """
            SELECT product_id, total_stock, available_stock, active, completed FROM stock_books
            """;
    private static final String HOLDS_WITHOUT_THEIR_STRIPE = """
            SELECT h.id FROM holds h
            WHERE h.status = 'ACTIVE'
              AND NOT EXISTS (SELECT 1 FROM stock_stripes s WHERE s.product_id = h.product_id AND s.stripe = h.stripe)
            """;

    /** One product's books. */
    public record Line(UUID productId, int total, int available, long active, long completed) {

        public boolean balanced() {
            return total == available + active + completed;
        }
    }

    /** The books as a Quarkus test reads them, on the application's reactive pool. */
    public static Books read(Pool pool) {
        List<Line> lines = new ArrayList<>();
        for (Row row : pool.query(QUERY).executeAndAwait()) {
            lines.add(new Line(row.getUUID("product_id"), row.getInteger("total_stock"),
                    row.getInteger("available_stock"), row.getLong("active"), row.getLong("completed")));
        }
        List<UUID> stranded = new ArrayList<>();
        pool.query(HOLDS_WITHOUT_THEIR_STRIPE).executeAndAwait().forEach(row -> stranded.add(row.getUUID("id")));
        return new Books(List.copyOf(lines), List.copyOf(stranded));
    }

    /** The books as a test outside the application reads them, over JDBC. */
    public static Books read(Connection connection) {
        List<Line> lines = new ArrayList<>();
        List<UUID> stranded = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(QUERY)) {
            while (rows.next()) {
                lines.add(new Line(rows.getObject("product_id", UUID.class), rows.getInt("total_stock"),
                        rows.getInt("available_stock"), rows.getLong("active"), rows.getLong("completed")));
            }
            try (ResultSet holds = statement.executeQuery(HOLDS_WITHOUT_THEIR_STRIPE)) {
                while (holds.next()) {
                    stranded.add(holds.getObject("id", UUID.class));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Books(List.copyOf(lines), List.copyOf(stranded));
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

    /** There is something to check, every product's books balance, and every active hold's stripe is there. */
    public void assertBalanced() {
        assertFalse(lines.isEmpty(), "no products to check");
        for (Line line : lines) {
            assertEquals(line.total(), line.available() + line.active() + line.completed(),
                    () -> "books do not balance: " + line);
        }
        assertEquals(List.of(), holdsWithoutTheirStripe, "active holds whose units have no stripe to go back to");
    }
}

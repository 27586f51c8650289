package org.flashsale.inventory.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

import org.flashsale.inventory.product.StockChange;

public final class Rows {

    private Rows() {
    }

    /** The stock columns of {@code alias} (the product_stock view), named as {@link #stockChange} reads them. */
    public static String stockColumnsOf(String alias) {
        return ("%1$s.product_id AS stock_product_id, %1$s.available_stock AS stock_available, %1$s.total_stock AS stock_total, "
                + "%1$s.stock_version AS stock_version, %1$s.updated_at AS stock_at").formatted(alias);
    }

    /** A statement kept in src/main/resources/sql (comment lines dropped, so pgbench can run it on one line too). */
    public static String sql(String name) {
        try (InputStream in = Rows.class.getResourceAsStream("/sql/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing sql/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.strip().startsWith("--"))
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static StockChange stockChange(Row row) {
        return new StockChange(row.getUUID("stock_product_id"), row.getInteger("stock_available"),
                row.getInteger("stock_total"), row.getLong("stock_version"),
                row.getOffsetDateTime("stock_at").toInstant());
    }

    /** The first row mapped, or null when the statement matched nothing (a guard that did not pass). */
    public static <T> T firstOrNull(RowSet<Row> rows, Function<Row, T> mapper) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? mapper.apply(iterator.next()) : null;
    }
}

package org.flashsale.inventory.repository;

import java.util.function.Function;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

import org.flashsale.live.StockChange;

final class Rows {

    private Rows() {
    }

    /** The stock columns of {@code alias}, named as {@link #stockChange} reads them. */
    static String stockColumnsOf(String alias) {
        return ("%1$s.id AS stock_product_id, %1$s.available_stock AS stock_available, %1$s.total_stock AS stock_total, "
                + "%1$s.stock_version AS stock_version, %1$s.updated_at AS stock_at").formatted(alias);
    }

    static StockChange stockChange(Row row) {
        return new StockChange(row.getUUID("stock_product_id"), row.getInteger("stock_available"),
                row.getInteger("stock_total"), row.getLong("stock_version"),
                row.getOffsetDateTime("stock_at").toInstant());
    }

    /** The first row mapped, or null when the statement matched nothing (a guard that did not pass). */
    static <T> T firstOrNull(RowSet<Row> rows, Function<Row, T> mapper) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? mapper.apply(iterator.next()) : null;
    }
}

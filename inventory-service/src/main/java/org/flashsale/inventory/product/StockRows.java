package org.flashsale.inventory.product;

import io.vertx.mutiny.sqlclient.Row;

/** The stock columns of a product_stock row, as every statement that returns stock names them. */
final class StockRows {

    private StockRows() {
    }

    /** The stock columns of {@code alias} (the product_stock view), named as {@link #stockChange} reads them. */
    static String stockColumnsOf(String alias) {
        return ("%1$s.product_id AS stock_product_id, %1$s.available_stock AS stock_available, %1$s.total_stock AS stock_total, "
                + "%1$s.stock_version AS stock_version, %1$s.updated_at AS stock_at").formatted(alias);
    }

    static StockChange stockChange(Row row) {
        return new StockChange(row.getUUID("stock_product_id"), row.getInteger("stock_available"),
                row.getInteger("stock_total"), row.getLong("stock_version"),
                row.getOffsetDateTime("stock_at").toInstant());
    }
}

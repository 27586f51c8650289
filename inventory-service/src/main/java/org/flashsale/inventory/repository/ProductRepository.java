package org.flashsale.inventory.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.inventory.Product;
import org.flashsale.live.StockChange;

/** Products and their stock counters. */
@ApplicationScoped
public class ProductRepository {

    /** The largest total stock a product may reach, so counters never overflow. */
    public static final int MAX_TOTAL_STOCK = 1_000_000_000;

    private static final String COLUMNS =
            "id, sku, name, description, image_url, price_cents, currency, available_stock, total_stock";

    private static final String LIST = "SELECT " + COLUMNS + " FROM products ORDER BY created_at, sku";
    private static final String FIND = "SELECT " + COLUMNS + " FROM products WHERE id = $1";
    private static final String INSERT = """
            INSERT INTO products (sku, name, description, image_url, price_cents, currency, total_stock, available_stock)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
            RETURNING %s
            """.formatted(COLUMNS);
    /** Restock: a relative increment of both counters, never above {@link #MAX_TOTAL_STOCK}. */
    private static final String RESTOCK = """
            UPDATE products p
            SET total_stock = total_stock + $2, available_stock = available_stock + $2,
                stock_version = stock_version + 1, updated_at = now()
            WHERE id = $1 AND total_stock <= %d - $2
            RETURNING %s, %s
            """.formatted(MAX_TOTAL_STOCK, COLUMNS, Rows.stockColumnsOf("p"));
    /** Every product's current stock, for a live client's first snapshot. */
    private static final String STOCK = "SELECT " + Rows.stockColumnsOf("products") + " FROM products ORDER BY id";

    /** What a new product is made of; the stock starts all available. */
    public record NewProduct(String sku, String name, String description, String imageUrl, long priceCents,
            String currency, int totalStock) {
    }

    public Uni<List<Product>> list(SqlClient client) {
        return client.preparedQuery(LIST).execute().map(rows -> {
            List<Product> products = new ArrayList<>(rows.size());
            rows.forEach(row -> products.add(toProduct(row)));
            return products;
        });
    }

    public Uni<Product> find(SqlClient client, UUID id) {
        return client.preparedQuery(FIND).execute(Tuple.of(id))
                .map(rows -> Rows.firstOrNull(rows, ProductRepository::toProduct));
    }

    public Uni<Product> insert(SqlClient client, NewProduct product) {
        return client.preparedQuery(INSERT)
                .execute(Tuple.from(new Object[] { product.sku(), product.name(), product.description(),
                        product.imageUrl(), product.priceCents(), product.currency(), product.totalStock() }))
                .map(rows -> toProduct(rows.iterator().next()));
    }

    /** A restocked product and its stock change. */
    public record Restocked(Product product, StockChange stock) {
    }

    /** The restocked product, or null when it does not exist or would pass {@link #MAX_TOTAL_STOCK}. */
    public Uni<Restocked> restock(SqlClient client, UUID id, int quantity) {
        return client.preparedQuery(RESTOCK).execute(Tuple.of(id, quantity))
                .map(rows -> Rows.firstOrNull(rows, row -> new Restocked(toProduct(row), Rows.stockChange(row))));
    }

    public Uni<List<StockChange>> stock(SqlClient client) {
        return client.preparedQuery(STOCK).execute().map(rows -> {
            List<StockChange> stock = new ArrayList<>(rows.size());
            rows.forEach(row -> stock.add(Rows.stockChange(row)));
            return stock;
        });
    }

    /** Removes every product with its holds and idempotency records (the demo reset; run it in a transaction). */
    public Uni<Void> deleteAll(SqlClient client) {
        return client.query("TRUNCATE idempotency_records, holds, products").execute().replaceWithVoid();
    }

    static Product toProduct(Row row) {
        return new Product(
                row.getUUID("id"),
                row.getString("sku"),
                row.getString("name"),
                row.getString("description"),
                row.getString("image_url"),
                row.getLong("price_cents"),
                row.getString("currency"),
                row.getInteger("available_stock"),
                row.getInteger("total_stock"));
    }
}

package org.flashsale.inventory.repository;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.inventory.Product;
import org.flashsale.inventory.StockChange;

/** Products and their stock counters. */
@ApplicationScoped
public class ProductRepository {

    /** The largest total stock a product may reach, so counters never overflow. */
    public static final int MAX_TOTAL_STOCK = 1_000_000_000;

    /** The most stripes a product's stock may be spread over. */
    public static final int MAX_STRIPES = 64;

    private static final String COLUMNS = "p.id, p.sku, p.name, p.description, p.image_url, p.price_cents, p.currency, "
            + "s.available_stock, p.total_stock, p.stripes";
    private static final String FROM = " FROM products p JOIN product_stock s ON s.product_id = p.id";

    private static final String LIST = "SELECT " + COLUMNS + FROM + " ORDER BY p.created_at, p.sku";
    private static final String FIND = "SELECT " + COLUMNS + FROM + " WHERE p.id = $1";
    /** A new product and its stripes, the stock spread evenly over them, in one statement. */
    private static final String INSERT = """
            WITH p AS (
                INSERT INTO products (sku, name, description, image_url, price_cents, currency, total_stock, stripes)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                RETURNING *
            ), s AS (
                INSERT INTO stock_stripes (product_id, stripe, available_stock)
                SELECT p.id, g, p.total_stock / p.stripes + CASE WHEN g < p.total_stock %% p.stripes THEN 1 ELSE 0 END
                FROM p, generate_series(0, p.stripes - 1) g
                RETURNING product_id, available_stock
            )
            SELECT %s FROM p, (SELECT product_id, sum(available_stock)::integer AS available_stock
                                FROM s GROUP BY product_id) s
            """.formatted(COLUMNS);
    /** Restock and re-stripe (the restock_product function): never above {@link #MAX_TOTAL_STOCK}. */
    private static final String RESTOCK = "SELECT restock_product($1, $2, $3, %d) AS id".formatted(MAX_TOTAL_STOCK);
    /** Stock as the live stream reports it: every product, or the given ones. */
    private static final String STOCK = "SELECT " + Rows.stockColumnsOf("product_stock") + " FROM product_stock";
    private static final String STOCK_OF = STOCK + " WHERE product_id = ANY($1)";

    /** What a new product is made of; the stock starts all available. */
    public record NewProduct(String sku, String name, String description, String imageUrl, long priceCents,
            String currency, int totalStock, int stripes) {
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
                        product.imageUrl(), product.priceCents(), product.currency(), product.totalStock(),
                        (short) product.stripes() }))
                .map(rows -> toProduct(rows.iterator().next()));
    }

    /**
     * Adds {@code quantity} units (may be 0) and spreads the available stock evenly over {@code stripes} (null keeps
     * the count). Null when the product does not exist or would pass {@link #MAX_TOTAL_STOCK}.
     */
    public Uni<Product> restock(SqlClient client, UUID id, int quantity, Integer stripes) {
        return client.preparedQuery(RESTOCK).execute(Tuple.of(id, quantity, stripes))
                .chain(rows -> Rows.firstOrNull(rows, row -> row.getUUID("id")) == null
                        ? Uni.createFrom().nullItem()
                        : find(client, id));
    }

    /** Every product's current stock, for a live client's first snapshot. */
    public Uni<List<StockChange>> stock(SqlClient client) {
        return client.preparedQuery(STOCK).execute().map(ProductRepository::toStock);
    }

    /** The current stock of the given products (those the live stream heard changed). */
    public Uni<List<StockChange>> stock(SqlClient client, Collection<UUID> ids) {
        return client.preparedQuery(STOCK_OF).execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(ProductRepository::toStock);
    }

    private static List<StockChange> toStock(RowSet<Row> rows) {
        List<StockChange> stock = new ArrayList<>(rows.size());
        rows.forEach(row -> stock.add(Rows.stockChange(row)));
        return stock;
    }

    /** Removes every product with its holds and idempotency records (the demo reset; run it in a transaction). */
    public Uni<Void> deleteAll(SqlClient client) {
        return client.query("TRUNCATE idempotency_records, holds, stock_stripes, products").execute().replaceWithVoid();
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
                row.getInteger("total_stock"),
                row.getInteger("stripes"));
    }
}

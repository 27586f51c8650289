package org.flashsale.inventory.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
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
            + "s.available_stock, p.total_stock, p.stripes, p.sale_starts_at, p.sale_ends_at, p.max_per_shopper";
    private static final String FROM = " FROM products p JOIN product_stock s ON s.product_id = p.id";

    private static final String LIST = "SELECT " + COLUMNS + FROM + " ORDER BY p.created_at, p.sku";
    private static final String FIND = "SELECT " + COLUMNS + FROM + " WHERE p.id = $1";
    /** A new product and its stripes, the stock spread evenly over them, in one statement. */
    private static final String INSERT = """
            WITH p AS (
                INSERT INTO products (sku, name, description, image_url, price_cents, currency, total_stock, stripes,
                                      sale_starts_at, sale_ends_at, max_per_shopper)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
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
    /**
     * Changes the fields whose flag is true ($2, $4, …) to the value beside it; the rest stay. One statement, so two
     * operators editing at once cannot undo each other's other fields.
     */
    private static final String UPDATE = """
            UPDATE products SET
                name = CASE WHEN $2 THEN $3 ELSE name END,
                description = CASE WHEN $4 THEN $5 ELSE description END,
                image_url = CASE WHEN $6 THEN $7 ELSE image_url END,
                price_cents = CASE WHEN $8 THEN $9 ELSE price_cents END,
                sale_starts_at = CASE WHEN $10 THEN $11 ELSE sale_starts_at END,
                sale_ends_at = CASE WHEN $12 THEN $13 ELSE sale_ends_at END,
                max_per_shopper = CASE WHEN $14 THEN $15 ELSE max_per_shopper END,
                updated_at = now()
            WHERE id = $1
            RETURNING id
            """;
    /** Ends the sale now; a sale that had not started yet never will. */
    private static final String END_SALE = """
            UPDATE products
            SET sale_ends_at = now(),
                sale_starts_at = CASE WHEN sale_starts_at >= now() THEN NULL ELSE sale_starts_at END,
                updated_at = now()
            WHERE id = $1
            RETURNING id
            """;
    /** Restock and re-stripe (db/migration/R__restock_product.sql): never above {@link #MAX_TOTAL_STOCK}. */
    private static final String RESTOCK = "SELECT restock_product($1, $2, $3, %d) AS id".formatted(MAX_TOTAL_STOCK);
    /** Every product's books (the stock_books view), in catalogue order. */
    private static final String BOOKS = """
            SELECT b.product_id, p.name, b.total_stock, b.available_stock, b.active, b.completed
            FROM stock_books b JOIN products p ON p.id = b.product_id
            ORDER BY p.created_at, p.sku
            """;
    /** Stock as the live stream reports it: every product, or the given ones. */
    private static final String STOCK = "SELECT " + Rows.stockColumnsOf("product_stock") + " FROM product_stock";
    private static final String STOCK_OF = STOCK + " WHERE product_id = ANY($1)";

    /** What a new product is made of; the stock starts all available. */
    public record NewProduct(String sku, String name, String description, String imageUrl, long priceCents,
            String currency, int totalStock, int stripes, Instant saleStartsAt, Instant saleEndsAt,
            Integer maxPerShopper) {
    }

    /** A change to a product: a null field stays as it is; an empty Optional clears a field that may be empty. */
    public record ProductChange(String name, String description, Optional<String> imageUrl, Long priceCents,
            Optional<Instant> saleStartsAt, Optional<Instant> saleEndsAt, Optional<Integer> maxPerShopper) {
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
                        (short) product.stripes(), timestamp(product.saleStartsAt()), timestamp(product.saleEndsAt()),
                        product.maxPerShopper() }))
                .map(rows -> toProduct(rows.iterator().next()));
    }

    /** The changed product, or null when there is none with this id. */
    public Uni<Product> update(SqlClient client, UUID id, ProductChange change) {
        Object[] arguments = { id,
                change.name() != null, change.name(),
                change.description() != null, change.description(),
                change.imageUrl() != null, change.imageUrl() == null ? null : change.imageUrl().orElse(null),
                change.priceCents() != null, change.priceCents(),
                change.saleStartsAt() != null, change.saleStartsAt() == null ? null : timestamp(change.saleStartsAt().orElse(null)),
                change.saleEndsAt() != null, change.saleEndsAt() == null ? null : timestamp(change.saleEndsAt().orElse(null)),
                change.maxPerShopper() != null, change.maxPerShopper() == null ? null : change.maxPerShopper().orElse(null) };
        return client.preparedQuery(UPDATE).execute(Tuple.from(arguments)).chain(rows -> foundAgain(client, id, rows));
    }

    /** The product with its sale ended now, or null when there is none with this id. */
    public Uni<Product> endSale(SqlClient client, UUID id) {
        return client.preparedQuery(END_SALE).execute(Tuple.of(id)).chain(rows -> foundAgain(client, id, rows));
    }

    private Uni<Product> foundAgain(SqlClient client, UUID id, RowSet<Row> rows) {
        return rows.rowCount() == 0 ? Uni.createFrom().nullItem() : find(client, id);
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

    /** A product's books: total = available + held (ACTIVE) + sold (COMPLETED). */
    public record Books(UUID productId, String name, int total, int available, long held, long sold) {
    }

    public Uni<List<Books>> books(SqlClient client) {
        return client.preparedQuery(BOOKS).execute().map(rows -> {
            List<Books> books = new ArrayList<>(rows.size());
            rows.forEach(row -> books.add(new Books(row.getUUID("product_id"), row.getString("name"),
                    row.getInteger("total_stock"), row.getInteger("available_stock"), row.getLong("active"),
                    row.getLong("completed"))));
            return books;
        });
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
                row.getInteger("stripes"),
                instant(row.getOffsetDateTime("sale_starts_at")),
                instant(row.getOffsetDateTime("sale_ends_at")),
                row.getInteger("max_per_shopper"));
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}

package org.flashsale.inventory.product;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
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

import org.flashsale.inventory.db.Rows;

/**
 * Products with their stock (the product_stock view), restock and the end of a sale: SQL on the reactive client. The
 * catalogue's writes of a product's details are {@link ProductEntityRepository}'s.
 */
@ApplicationScoped
public class ProductRepository {

    /** The largest total stock a product may reach, so counters never overflow. */
    public static final int MAX_TOTAL_STOCK = 1_000_000_000;

    /** The most stripes a product's stock may be spread over. */
    public static final int MAX_STRIPES = 64;

    private static final String COLUMNS = "p.id, p.sku, p.name, p.description, p.image_url, p.price_cents, p.currency, "
            + "s.available_stock, p.total_stock, p.stripes, p.sale_starts_at, p.sale_ends_at, p.max_per_shopper, p.queue, "
            + "p.queue_opens_at, p.admission_ttl_millis, pq.draw_seed";
    private static final String FROM = " FROM products p JOIN product_stock s ON s.product_id = p.id"
            + " LEFT JOIN product_queues pq ON pq.product_id = p.id";

    private static final String LIST = "SELECT " + COLUMNS + FROM + " ORDER BY p.created_at, p.sku";
    private static final String FIND = "SELECT " + COLUMNS + FROM + " WHERE p.id = $1";
    /** Ends the sale now; a sale that had not started yet never will (nor will its queue open). */
    private static final String END_SALE = """
            UPDATE products
            SET sale_ends_at = now(),
                sale_starts_at = CASE WHEN sale_starts_at >= now() THEN NULL ELSE sale_starts_at END,
                queue_opens_at = CASE WHEN sale_starts_at >= now() THEN NULL ELSE queue_opens_at END,
                updated_at = now()
            WHERE id = $1
            RETURNING id
            """;
    /** Restock and re-stripe (db/migration/R__restock_product.sql): never above {@link #MAX_TOTAL_STOCK}. */
    private static final String RESTOCK = "SELECT restock_product($1, $2, $3, %d) AS id".formatted(MAX_TOTAL_STOCK);
    /**
     * Every product's books (the stock_books view), in catalogue order, and a queued product's waiting room: each
     * figure one count on its own partial index of queue_entries (index-only scans: WAITING on
     * queue_entries_waiting, open and overdue admissions on queue_entries_admitted, LAPSED on queue_entries_lapsed
     * (V8), the last minute's admissions on queue_entries_by_admission), so one statement covers a queue of 100,000.
     * Open, overdue and recent admissions are counted by the rules' SQL functions, which the planner inlines
     * (admission_open, admission_lapsed, admitted_last_minute: each in its db/migration/R__&lt;function&gt;.sql).
     */
    private static final String BOOKS = """
            SELECT b.product_id, p.name, b.total_stock, b.available_stock, b.active, b.completed, p.queue,
                   q.waiting, q.admitted, q.lapsed + q.overdue AS lapsed, q.admitted_last_minute,
                   q.paused
            FROM stock_books b JOIN products p ON p.id = b.product_id
            LEFT JOIN LATERAL (
                SELECT (SELECT count(*) FROM queue_entries e WHERE e.product_id = p.id AND e.state = 'WAITING')
                           AS waiting,
                       (SELECT count(*) FROM queue_entries e
                        WHERE e.product_id = p.id AND admission_open(e.state, e.admission_expires_at)) AS admitted,
                       (SELECT count(*) FROM queue_entries e
                        WHERE e.product_id = p.id AND admission_lapsed(e.state, e.admission_expires_at)) AS overdue,
                       (SELECT count(*) FROM queue_entries e WHERE e.product_id = p.id AND e.state = 'LAPSED')
                           AS lapsed,
                       (SELECT rate.admitted FROM admitted_last_minute(p.id) rate) AS admitted_last_minute,
                       EXISTS (SELECT 1 FROM product_queues pq WHERE pq.product_id = p.id AND pq.paused_at IS NOT NULL)
                           AS paused
                WHERE p.queue
            ) q ON true
            ORDER BY p.created_at, p.sku
            """;
    /** Stock as the live stream reports it: every product, or the given ones. */
    private static final String STOCK = "SELECT " + StockRows.stockColumnsOf("product_stock") + " FROM product_stock";
    private static final String STOCK_OF = STOCK + " WHERE product_id = ANY($1)";

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
        rows.forEach(row -> stock.add(StockRows.stockChange(row)));
        return stock;
    }

    public Uni<List<Books>> books(SqlClient client) {
        return client.preparedQuery(BOOKS).execute().map(rows -> {
            List<Books> books = new ArrayList<>(rows.size());
            rows.forEach(row -> books.add(new Books(row.getUUID("product_id"), row.getString("name"),
                    row.getInteger("total_stock"), row.getInteger("available_stock"), row.getLong("active"),
                    row.getLong("completed"), row.getBoolean("queue") ? new QueueCounts(row.getLong("waiting"),
                            row.getLong("admitted"), row.getLong("lapsed"), row.getLong("admitted_last_minute"),
                            row.getBoolean("paused"))
                            : null)));
            return books;
        });
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
                row.getInteger("max_per_shopper"),
                row.getBoolean("queue"),
                instant(row.getOffsetDateTime("queue_opens_at")),
                Duration.ofMillis(row.getLong("admission_ttl_millis")).toString(),
                row.getString("draw_seed"));
    }

    private static Instant instant(OffsetDateTime timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}

package org.flashsale.expiry.audit;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The audit's one query, on the {@code stock_books} view of inventory-service's migrations (the one home of the
 * invariant). One statement, so it sees one consistent snapshot: a reserve is never half-counted.
 */
@ApplicationScoped
public class StockAuditRepository {

    private static final String IMBALANCES = """
            SELECT product_id, total_stock, available_stock, active, completed FROM stock_books
            WHERE total_stock <> available_stock + active + completed OR available_stock < 0
            ORDER BY product_id
            """;

    private final Pool pool;

    public StockAuditRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Imbalance>> imbalances() {
        return pool.query(IMBALANCES).execute().map(rows -> {
            List<Imbalance> found = new ArrayList<>();
            rows.forEach(row -> found.add(new Imbalance(row.getUUID("product_id"), row.getInteger("total_stock"),
                    row.getInteger("available_stock"), row.getLong("active"), row.getLong("completed"))));
            return found;
        });
    }
}

package org.flashsale.inventory.product;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.inventory.product.Activity.TopPurchaser;
import org.flashsale.live.Purchase;

/** Purchases (completed holds) as the public activity feed shows them. */
@ApplicationScoped
public class ActivityRepository {

    private static final String RECENT = """
            SELECT h.product_id, s.handle, h.quantity, h.ended_at
            FROM holds h JOIN shoppers s ON s.id = h.shopper_id
            WHERE h.status = 'COMPLETED' AND ($1::uuid IS NULL OR h.product_id = $1)
            ORDER BY h.ended_at DESC
            LIMIT $2
            """;
    private static final String TOP = """
            SELECT s.handle, sum(h.quantity) AS units
            FROM holds h JOIN shoppers s ON s.id = h.shopper_id
            WHERE h.status = 'COMPLETED' AND h.product_id = $1
            GROUP BY h.shopper_id, s.handle
            ORDER BY units DESC, min(h.ended_at)
            LIMIT $2
            """;

    /** The newest purchases, of one product or (productId null) of all. */
    public Uni<List<Purchase>> recent(SqlClient client, UUID productId, int limit) {
        return client.preparedQuery(RECENT).execute(Tuple.of(productId, limit)).map(rows -> {
            List<Purchase> purchases = new ArrayList<>(rows.size());
            rows.forEach(row -> purchases.add(new Purchase(row.getUUID("product_id"), row.getString("handle"),
                    row.getInteger("quantity"), row.getOffsetDateTime("ended_at").toInstant())));
            return purchases;
        });
    }

    public Uni<List<TopPurchaser>> top(SqlClient client, UUID productId, int limit) {
        return client.preparedQuery(TOP).execute(Tuple.of(productId, limit)).map(rows -> {
            List<TopPurchaser> top = new ArrayList<>(rows.size());
            rows.forEach(row -> top.add(new TopPurchaser(row.getString("handle"), row.getLong("units"))));
            return top;
        });
    }
}

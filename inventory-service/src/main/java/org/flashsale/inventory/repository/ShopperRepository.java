package org.flashsale.inventory.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Anonymous shopper identities and their public display handles. */
@ApplicationScoped
public class ShopperRepository {

    public Uni<UUID> create(SqlClient client, String handle) {
        return client.preparedQuery("INSERT INTO shoppers (handle) VALUES ($1) RETURNING id").execute(Tuple.of(handle))
                .map(rows -> rows.iterator().next().getUUID("id"));
    }

    /** The shopper's handle, or null when this database does not know the shopper. */
    public Uni<String> handle(SqlClient client, UUID shopperId) {
        return client.preparedQuery("SELECT handle FROM shoppers WHERE id = $1").execute(Tuple.of(shopperId))
                .map(rows -> Rows.firstOrNull(rows, row -> row.getString("handle")));
    }
}

package org.flashsale.inventory.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Anonymous shopper identities. */
@ApplicationScoped
public class ShopperRepository {

    public Uni<UUID> create(SqlClient client) {
        return client.preparedQuery("INSERT INTO shoppers DEFAULT VALUES RETURNING id").execute()
                .map(rows -> rows.iterator().next().getUUID("id"));
    }
}

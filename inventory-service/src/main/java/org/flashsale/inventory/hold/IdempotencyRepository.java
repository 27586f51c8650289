package org.flashsale.inventory.hold;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Idempotency-Key records. A key is claimed inside the transaction of the request it guards: a concurrent request
 * with the same key waits on the claim, then sees the stored response; a failed request rolls its claim back.
 */
@ApplicationScoped
public class IdempotencyRepository {

    private static final String CLAIM = """
            INSERT INTO idempotency_records (shopper_id, idempotency_key, request_hash) VALUES ($1, $2, $3)
            ON CONFLICT DO NOTHING
            """;
    private static final String FIND = """
            SELECT request_hash, response_status, response_body::text AS body FROM idempotency_records
            WHERE shopper_id = $1 AND idempotency_key = $2
            """;
    /** The answer is the hold's row as the reserve left it, in the record's one format (R__hold_answer.sql). */
    private static final String STORE = """
            UPDATE idempotency_records SET response_status = $3,
                response_body = (SELECT hold_answer(h.id, h.product_id, h.quantity, h.status, h.price_cents,
                                                    h.amount_cents, h.created_at, h.expires_at, h.latest_expires_at,
                                                    h.ended_at)
                                 FROM holds h WHERE h.id = $4)
            WHERE shopper_id = $1 AND idempotency_key = $2
            """;

    /**
     * Claims the key for this request; null when it was new, else what the earlier request stored. When the earlier
     * record is gone by the time it is read (the expiry-worker pruned it past its retention, between the two
     * statements), the key is claimed afresh, so every request that runs holds a claim.
     */
    public Uni<Stored> claim(SqlClient client, UUID shopperId, String key, String requestHash) {
        return client.preparedQuery(CLAIM).execute(Tuple.of(shopperId, key, requestHash))
                .flatMap(inserted -> inserted.rowCount() == 1
                        ? Uni.createFrom().nullItem()
                        : client.preparedQuery(FIND).execute(Tuple.of(shopperId, key)).flatMap(rows -> rows.size() == 0
                                ? claim(client, shopperId, key, requestHash)
                                : Uni.createFrom().item(toStored(rows.iterator().next()))));
    }

    private static Stored toStored(Row row) {
        return new Stored(row.getString("request_hash"), row.getInteger("response_status"), row.getString("body"));
    }

    /** Stores the answer of the request that claimed the key: its status and the hold as it is now. */
    public Uni<Void> store(SqlClient client, UUID shopperId, String key, int status, UUID holdId) {
        return client.preparedQuery(STORE).execute(Tuple.of(shopperId, key, status, holdId))
                .replaceWithVoid();
    }
}

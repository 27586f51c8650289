package org.flashsale.inventory.hold;

import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A keyed reserve alone, in one transaction that claims the key, reserves and stores the answer: the path of a keyed
 * reserve when batching is off, of a queued product's (each checks its own admission in reserve_checked) and of a
 * batch the database refused (its reserves then go one by one). Otherwise keyed reserves go with the group commit,
 * whose statement does the same (db/migration/R__reserve_batch.sql). A retry of the same request gets the first
 * answer back (REPLAYED, nothing changes); another request under the same key is KEY_REUSED; a refusal rolls the
 * claim back, so nothing is stored and a retry is decided afresh.
 */
@ApplicationScoped
public class IdempotentReserves {

    private final Pool pool;
    private final HoldRepository holds;
    private final IdempotencyRepository records;
    private final ObjectMapper json;

    public IdempotentReserves(Pool pool, HoldRepository holds, IdempotencyRepository records, ObjectMapper json) {
        this.pool = pool;
        this.holds = holds;
        this.records = records;
        this.json = json;
    }

    /** Reserves in a transaction that claims the key, unless the key already answered. */
    public Uni<Reserved> reserveOnce(UUID shopperId, IdempotencyKey key, UUID productId, int quantity, Duration ttl) {
        return pool.withTransaction(connection -> records.claim(connection, shopperId, key.key(), key.requestHash())
                .flatMap(stored -> {
                    if (stored == null) {
                        return holds.reserve(connection, shopperId, productId, quantity, ttl).call(reserved -> {
                            if (reserved.outcome() != Outcome.RESERVED) {
                                throw new Refused(reserved); // rolls the claim back
                            }
                            return records.store(connection, shopperId, key.key(), reserved.merged() ? 200 : 201,
                                    reserved.hold().id());
                        });
                    }
                    if (!stored.requestHash().equals(key.requestHash())) {
                        return Uni.createFrom().item(Reserved.settled(Outcome.KEY_REUSED, null, false));
                    }
                    return Uni.createFrom().item(Reserved.settled(Outcome.REPLAYED, fromJson(stored.body()),
                            stored.status() != 201));
                }))
                .onFailure(Refused.class).recoverWithItem(failure -> ((Refused) failure).reserved);
    }

    private Hold fromJson(String body) {
        try {
            return json.readValue(body, Hold.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A refusal inside the transaction: failing it rolls the claim back; the answer is the refusal itself. */
    private static final class Refused extends RuntimeException {
        private final transient Reserved reserved;

        Refused(Reserved reserved) {
            super(null, null, false, false);
            this.reserved = reserved;
        }
    }
}

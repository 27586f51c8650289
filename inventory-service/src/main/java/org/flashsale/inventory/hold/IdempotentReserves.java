package org.flashsale.inventory.hold;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

import org.flashsale.inventory.hold.ReservationService.ReserveResult;
import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.ProblemException;

/**
 * Reserves with an Idempotency-Key: the key is claimed in the reserve's own transaction, so retries have one effect.
 * A retry of the same request gets the first answer back (replayed, nothing changes); another request under the
 * same key is refused with {@code IDEMPOTENCY_KEY_REUSED}.
 */
@ApplicationScoped
public class IdempotentReserves {

    private final Pool pool;
    private final IdempotencyRepository records;
    private final ObjectMapper json;

    public IdempotentReserves(Pool pool, IdempotencyRepository records, ObjectMapper json) {
        this.pool = pool;
        this.records = records;
        this.json = json;
    }

    /** Runs {@code reserve} in a transaction that claims the key, unless the key already answered. */
    public Uni<ReserveResult> reserveOnce(UUID shopperId, String key, UUID productId, int quantity,
            Function<SqlClient, Uni<ReserveResult>> reserve) {
        String requestHash = requestHash(productId, quantity);
        return pool.withTransaction(connection -> records.claim(connection, shopperId, key, requestHash)
                .flatMap(stored -> {
                    if (stored == null) {
                        return reserve.apply(connection)
                                .call(result -> records.store(connection, shopperId, key,
                                        result.created() ? 201 : 200, toJson(result.hold())));
                    }
                    if (!stored.requestHash().equals(requestHash)) {
                        throw new ProblemException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                                "this Idempotency-Key was used for another request");
                    }
                    return Uni.createFrom().item(
                            new ReserveResult(fromJson(stored.body()), stored.status() == 201, true));
                }));
    }

    private static String requestHash(UUID productId, int quantity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("POST /api/reservations " + productId + " " + quantity).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String toJson(Hold hold) {
        try {
            return json.writeValueAsString(hold);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Hold fromJson(String body) {
        try {
            return json.readValue(body, Hold.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

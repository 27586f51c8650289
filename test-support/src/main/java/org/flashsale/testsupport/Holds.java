package org.flashsale.testsupport;

import java.util.UUID;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** The holds table, read and moved in time straight in the database. */
public final class Holds {

    private Holds() {
    }

    public static long count(Pool pool, UUID productId, String status) {
        return pool.preparedQuery("SELECT count(*) FROM holds WHERE product_id = $1 AND status = $2")
                .executeAndAwait(Tuple.of(productId, status)).iterator().next().getLong(0);
    }

    public static long countOfShopper(Pool pool, UUID shopperId) {
        return pool.preparedQuery("SELECT count(*) FROM holds WHERE shopper_id = $1")
                .executeAndAwait(Tuple.of(shopperId)).iterator().next().getLong(0);
    }

    /** Moves a hold's expiry into the past, as if its time had run out. */
    public static void expireNow(Pool pool, UUID holdId) {
        pool.preparedQuery("UPDATE holds SET expires_at = now() - interval '1 millisecond' WHERE id = $1")
                .executeAndAwait(Tuple.of(holdId));
    }

    /** Runs the expire transition (what the expiry worker runs) until nothing is due; returns the holds expired. */
    public static int runExpiry(Pool pool) {
        int expired = 0;
        int batch;
        do {
            batch = pool.query("SELECT * FROM expire_due_holds(500)").executeAndAwait().size();
            expired += batch;
        } while (batch > 0);
        return expired;
    }
}

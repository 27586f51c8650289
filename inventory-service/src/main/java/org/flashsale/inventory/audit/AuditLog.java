package org.flashsale.inventory.audit;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Reads the operators' audit log (the changes record themselves, each in its own transaction). */
@ApplicationScoped
public class AuditLog {

    private final Pool pool;
    private final AuditRepository records;

    public AuditLog(Pool pool, AuditRepository records) {
        this.pool = pool;
        this.records = records;
    }

    public Uni<AuditPage> page(int page, int size) {
        return records.page(pool, page, size);
    }
}

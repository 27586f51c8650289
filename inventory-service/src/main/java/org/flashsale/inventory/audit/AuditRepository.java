package org.flashsale.inventory.audit;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The audit log of operators' changes (admin_audit). A change is recorded in its own transaction: read the product's
 * fields before it ({@link #fieldsBefore}), make the change, then {@link #record} it; the database keeps what changed
 * (db/migration/R__record_admin_change.sql, R__product_audit_fields.sql). Both transaction kinds the catalogue uses
 * have their form: the reactive SQL client's connection, and Hibernate Reactive's session (Panache).
 */
@ApplicationScoped
public class AuditRepository {

    private static final String FIELDS = "SELECT CAST(product_audit_fields(CAST(%s AS uuid)) AS text)";
    /** before goes as text: a parameter typed jsonb would take a Java string as a JSON string, not as a document. */
    private static final String RECORD =
            "SELECT record_admin_change(CAST(%s AS text), CAST(%s AS uuid), CAST(CAST(%s AS text) AS jsonb))";
    private static final String PAGE = """
            SELECT at, action, product_id, before::text AS before, after::text AS after
            FROM admin_audit ORDER BY id DESC LIMIT $1 OFFSET $2
            """;

    private static final TypeReference<Map<String, Object>> FIELDS_TYPE = new TypeReference<>() {
    };

    private final ObjectMapper json;

    public AuditRepository(ObjectMapper json) {
        this.json = json;
    }

    /** The product's audited fields now, as JSON text (null when there is no such product). */
    public Uni<String> fieldsBefore(SqlClient connection, UUID productId) {
        return connection.preparedQuery(FIELDS.formatted("$1")).execute(Tuple.of(productId))
                .map(rows -> rows.iterator().next().getString(0));
    }

    public Uni<String> fieldsBefore(Mutiny.Session session, UUID productId) {
        return session.createNativeQuery(FIELDS.formatted(":product"), String.class)
                .setParameter("product", productId).getSingleResultOrNull();
    }

    /** Records the change just made in this transaction; {@code before} as {@link #fieldsBefore} read it. */
    public Uni<Void> record(SqlClient connection, AdminAction action, UUID productId, String before) {
        return connection.preparedQuery(RECORD.formatted("$1", "$2", "$3"))
                .execute(Tuple.of(action.name(), productId, before)).replaceWithVoid();
    }

    public Uni<Void> record(Mutiny.Session session, AdminAction action, UUID productId, String before) {
        return session.createNativeQuery(RECORD.formatted(":action", ":product", ":before"), Long.class)
                .setParameter("action", action.name()).setParameter("product", productId)
                .setParameter("before", before).getSingleResult().replaceWithVoid();
    }

    /** A page of the log, newest first, and whether more follow it. */
    public Uni<AuditPage> page(SqlClient client, int page, int size) {
        return client.preparedQuery(PAGE).execute(Tuple.of(size + 1, page * size)).map(rows -> {
            List<AuditRecord> items = new ArrayList<>(rows.size());
            for (Row row : rows) {
                if (items.size() < size) {
                    items.add(toRecord(row));
                }
            }
            return new AuditPage(items, page, size, rows.size() > size);
        });
    }

    private AuditRecord toRecord(Row row) {
        OffsetDateTime at = row.getOffsetDateTime("at");
        return new AuditRecord(at.toInstant(), AdminAction.valueOf(row.getString("action")),
                row.getUUID("product_id"), parse(row.getString("before")), parse(row.getString("after")));
    }

    private Map<String, Object> parse(String text) {
        try {
            return text == null ? null : json.readValue(text, FIELDS_TYPE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("admin_audit holds JSON the database made", e);
        }
    }
}

package org.flashsale.inventory.audit;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One operator's change, as the audit log shows it. */
@Schema(name = "AuditRecord")
public record AuditRecord(
        @Schema(description = "When the change was made (its transaction's start)") Instant at,
        AdminAction action,
        @Schema(nullable = true, description = "The product changed (null for the demo reset)") UUID productId,
        @Schema(type = SchemaType.OBJECT, nullable = true, description = "The fields the change altered, by their "
                + "Product names, as they were (null for a creation)", examples = "{\"priceCents\": 12900}")
        Map<String, Object> before,
        @Schema(type = SchemaType.OBJECT, nullable = true, description = "The same fields as the change left them "
                + "(every field for a creation; for the demo reset, how many products there are)",
                examples = "{\"priceCents\": 9900}") Map<String, Object> after) {
}

package org.flashsale.inventory.audit;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "AuditPage", description = "Operators' changes, newest first.")
public record AuditPage(List<AuditRecord> items, int page, int size, boolean hasMore) {
}

package org.flashsale.inventory.hold;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "HoldPage", description = "The caller's holds, newest first.")
public record HoldPage(List<Hold> items, int page, int size, boolean hasMore) {
}

package org.flashsale.inventory.order;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "OrderPage", description = "The caller's orders, newest first.")
public record OrderPage(List<Order> items, int page, int size, boolean hasMore) {
}

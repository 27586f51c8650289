package org.flashsale.inventory.hold;

import java.util.List;

/** One page of a shopper's holds, newest first, and whether more follow it. */
public record Page(List<Hold> holds, boolean hasMore) {
}

package org.flashsale.expiry.audit;

import java.util.UUID;

/** A product whose books do not balance: {@code difference = total - (available + active + completed)}. */
public record Imbalance(UUID productId, int total, int available, long active, long completed) {

    public long difference() {
        return total - (available + active + completed);
    }
}

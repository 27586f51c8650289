package org.flashsale.inventory.hold;

/**
 * The outcome of a reserve: when RESERVED, the hold and whether it merged into the shopper's active one; when
 * OUT_OF_STOCK, the units {@code available}; when LIMIT_EXCEEDED, the units the shopper may still reserve; when
 * SALE_NOT_ACTIVE, the sale window the refusal was decided on; when NOT_ADMITTED, the shopper's place in the
 * product's queue (null when not in it); when REPLAYED, the hold its key's first request answered and whether that
 * merged.
 */
public record Reserved(Outcome outcome, Hold hold, boolean merged, Integer available, Integer remaining,
        SaleWindow window, QueuePlace place) {

    Reserved(Outcome outcome, Hold hold, boolean merged, Integer available, Integer remaining, SaleWindow window) {
        this(outcome, hold, merged, available, remaining, window, null);
    }

    /** A keyed reserve its key answered: REPLAYED (the stored hold) or KEY_REUSED. */
    static Reserved settled(Outcome outcome, Hold hold, boolean merged) {
        return new Reserved(outcome, hold, merged, null, null, null, null);
    }
}

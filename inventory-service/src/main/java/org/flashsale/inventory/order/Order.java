package org.flashsale.inventory.order;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Holds paid together: the receipt. */
@Schema(name = "Order")
public record Order(
        UUID id,
        @Schema(description = "The order's short number, for the receipt and for people", examples = "1042") long number,
        Instant createdAt,
        List<Line> lines,
        @Schema(description = "What was charged, one total per currency") List<Total> totals) {

    /** A paid hold: its units at the price of each reserve made into it. */
    @Schema(name = "OrderLine")
    public record Line(UUID holdId, UUID productId, @Schema(examples = "Aurora Runner") String productName,
            @Schema(examples = "2") int quantity,
            @Schema(description = "The hold's price per unit, in the currency's minor unit", examples = "12900")
            long unitPriceCents,
            @Schema(description = "What the line charged (each reserve's units at its price)", examples = "25800")
            long amountCents,
            @Schema(examples = "USD") String currency) {
    }

    @Schema(name = "OrderTotal")
    public record Total(@Schema(examples = "USD") String currency, @Schema(examples = "25800") long amountCents) {
    }
}

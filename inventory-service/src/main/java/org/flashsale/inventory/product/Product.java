package org.flashsale.inventory.product;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A product on sale and its live stock. */
@Schema(name = "Product")
public record Product(
        UUID id,
        @Schema(examples = "SNKR-001") String sku,
        @Schema(examples = "Aurora Runner") String name,
        String description,
        @Schema(nullable = true) String imageUrl,
        @Schema(description = "Price in the currency's minor unit", examples = "12900") long priceCents,
        @Schema(examples = "USD") String currency,
        @Schema(examples = "37") int availableStock,
        @Schema(examples = "50") int totalStock,
        @Schema(description = "How many rows the available stock is spread over (striped stock, for hot products)",
                examples = "1") int stripes,
        @Schema(nullable = true, description = "Reserving opens at this time (null: open now)",
                examples = "2026-12-01T18:00:00Z") Instant saleStartsAt,
        @Schema(nullable = true, description = "Reserving closes at this time (null: no end)") Instant saleEndsAt,
        @Schema(nullable = true, description = "Most units one shopper may hold and buy of this product together "
                + "(null: no limit)", examples = "2") Integer maxPerShopper,
        @Schema(description = "Sold through a waiting room: only shoppers admitted from the product's queue may "
                + "reserve it (see /api/products/{id}/queue)") boolean queue,
        @Schema(nullable = true, description = "When joining the queue opens (before saleStartsAt; null: as soon as "
                + "queue is on)", examples = "2026-12-01T17:30:00Z") Instant queueOpensAt,
        @Schema(type = SchemaType.STRING, format = "duration", description = "How long an admission lasts: an "
                + "admitted shopper who has not reserved within it loses the turn (ISO-8601 duration)",
                examples = "PT1M") String admissionTtl,
        @Schema(nullable = true, description = "The queue's draw seed (32 hex digits), published once the draw ran "
                + "(the same as GET /api/products/{id}/queue, which gives the recipe); null before it or without a "
                + "queue", examples = "3f1c0e5b9a7d4c2e8b6a5f4e3d2c1b0a") String drawSeed) {
}

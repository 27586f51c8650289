package org.flashsale.inventory.admin;

import java.time.Duration;
import java.time.Instant;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.flashsale.inventory.product.ProductRepository;

@Schema(name = "CreateProductRequest")
public record CreateProductRequest(
        @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*") @Schema(examples = "DROP-SNKR-01") String sku,
        @NotBlank @Size(max = 200) @Schema(examples = "Aurora Runner — Limited") String name,
        @NotNull @Min(0) @Max(10_000_000_000L) @Schema(examples = "12900") Long priceCents,
        @NotNull @Min(0) @Max(1_000_000) @Schema(examples = "50") Integer totalStock,
        @Size(max = 2000) String description,
        @Size(max = 2000) @Pattern(regexp = "https?://\\S+|/\\S*") @Schema(examples = "https://example.com/shoe.jpg") String imageUrl,
        @Pattern(regexp = "[A-Z]{3}") @Schema(description = "ISO 4217 code, default USD", examples = "USD") String currency,
        @Min(1) @Max(ProductRepository.MAX_STRIPES) @Schema(description = STRIPES, examples = "1") Integer stripes,
        @Schema(description = "Reserving opens at this time (default: open now)", examples = "2026-12-01T18:00:00Z")
        Instant saleStartsAt,
        @Schema(description = "Reserving closes at this time (default: no end)") Instant saleEndsAt,
        @Min(1) @Max(1_000_000) @Schema(description = MAX_PER_SHOPPER, examples = "2") Integer maxPerShopper,
        @Schema(description = QUEUE + " (default false)") Boolean queue,
        @Schema(description = QUEUE_OPENS_AT, examples = "2026-12-01T17:30:00Z") Instant queueOpensAt,
        @DurationMin(seconds = 5) @DurationMax(hours = 1)
        @Schema(type = SchemaType.STRING, format = "duration", description = ADMISSION_TTL + " (default PT1M)",
                examples = "PT60S") Duration admissionTtl) {

    static final String QUEUE = "Sell through a waiting room: shoppers join the product's queue, are placed by a "
            + "lottery when the sale opens (later joiners behind, in arrival order) and admitted in turn as stock "
            + "allows; only admitted shoppers may reserve";

    static final String QUEUE_OPENS_AT = "When joining the queue opens; before saleStartsAt, which it needs "
            + "(default: as soon as queue is on)";

    static final String ADMISSION_TTL = "How long an admission lasts (ISO-8601 duration, PT5S to PT1H): an admitted "
            + "shopper who has not reserved within it loses the turn";

    static final String MAX_PER_SHOPPER = "Most units one shopper may hold and buy of this product together: active "
            + "holds plus completed purchases (default: no limit)";

    static final String STRIPES = "Rows the available stock is spread over, default 1. More stripes let more reserves "
            + "of one hot product commit at once; a request larger than any one stripe is still served from several.";
}

package org.flashsale.inventory.admin;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import org.flashsale.inventory.product.ProductRepository;

@Schema(name = "RestockRequest")
public record RestockRequest(
        @NotNull @Min(0) @Max(1_000_000) @Schema(description = "Units to add; 0 to only re-stripe", examples = "25") Integer quantity,
        @Min(1) @Max(ProductRepository.MAX_STRIPES)
        @Schema(description = "Spread the available stock evenly over this many stripes (default: keep the count)",
                examples = "8") Integer stripes) {
}

package org.flashsale.inventory.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "RestockRequest")
public record RestockRequest(@NotNull @Min(1) @Max(1_000_000) @Schema(examples = "25") Integer quantity) {
}

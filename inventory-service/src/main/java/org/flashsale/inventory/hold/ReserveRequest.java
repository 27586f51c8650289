package org.flashsale.inventory.hold;

import java.util.UUID;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ReserveRequest")
public record ReserveRequest(
        @NotNull UUID productId,
        @NotNull @Min(1) @Schema(description = "1 to flashsale.max-per-request (default 10)", examples = "1") Integer quantity) {
}

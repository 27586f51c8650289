package org.flashsale.inventory.order;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "OrderRequest")
public record OrderRequest(
        @NotEmpty @Size(max = OrderRequest.MAX_HOLDS) @Schema(description = "The caller's active holds to pay, 1 to 50")
        List<@NotNull UUID> holdIds) {

    public static final int MAX_HOLDS = 50;
}

package org.flashsale.inventory;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

import org.flashsale.live.HoldStatus;

/** Stock a shopper holds for a short time; its price is locked when the hold is made. */
@Schema(name = "Hold")
@RegisterForReflection
public record Hold(
        UUID id,
        UUID productId,
        @Schema(examples = "2") int quantity,
        HoldStatus status,
        @Schema(description = "Unit price locked at reserve time, in minor units", examples = "12900") long priceCents,
        Instant createdAt,
        Instant expiresAt,
        @Schema(nullable = true, description = "When the hold was completed, cancelled or expired") Instant endedAt,
        @Schema(description = "quantity × priceCents", examples = "25800") long amountCents) {
}

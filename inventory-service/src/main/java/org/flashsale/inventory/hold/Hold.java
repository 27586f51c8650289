package org.flashsale.inventory.hold;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

import org.flashsale.live.HoldStatus;

/**
 * Stock a shopper holds for a short time. Each reserve's units cost the price when that reserve was made: units added
 * to the hold later, after a price change, are charged their own price ({@code amountCents}). A reserve that adds to
 * the hold resets its expiry, never past {@code latestExpiresAt}.
 */
@Schema(name = "Hold")
@RegisterForReflection
public record Hold(
        UUID id,
        UUID productId,
        @Schema(examples = "2") int quantity,
        HoldStatus status,
        @Schema(description = "Unit price when the hold was made, in minor units", examples = "12900") long priceCents,
        Instant createdAt,
        Instant expiresAt,
        @Schema(description = "The latest the hold can ever expire (createdAt + flashsale.hold-max-lifetime): adding "
                + "to the hold resets expiresAt, never past this") Instant latestExpiresAt,
        @Schema(nullable = true, description = "When the hold was completed, cancelled or expired") Instant endedAt,
        @Schema(description = "What completing the hold charges, in minor units: each reserve's units at the price "
                + "when that reserve was made (quantity × priceCents unless units were added after a price change)",
                examples = "25800") long amountCents) {
}

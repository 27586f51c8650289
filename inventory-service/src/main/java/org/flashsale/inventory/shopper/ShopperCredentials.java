package org.flashsale.inventory.shopper;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ShopperCredentials", description = "Send the token as 'Authorization: Bearer <token>'.")
public record ShopperCredentials(
        UUID shopperId,
        String token,
        @Schema(description = "The name others see in activity feeds (never the id)", examples = "Swift Otter 42")
        String handle) {
}

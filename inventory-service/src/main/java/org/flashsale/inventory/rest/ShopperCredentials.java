package org.flashsale.inventory.rest;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ShopperCredentials", description = "Send the token as 'Authorization: Bearer <token>'.")
public record ShopperCredentials(UUID shopperId, String token) {
}

package org.flashsale.inventory.shopper;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.Raises;
import org.flashsale.inventory.http.rest.ApiDocumentation;
import org.flashsale.inventory.http.rest.ClientAddress;
import org.flashsale.inventory.http.rest.Ids;
import org.flashsale.inventory.security.RateLimiter;
import org.flashsale.inventory.security.Roles;
import org.flashsale.inventory.security.ShopperTokens;

@Path("/api/shoppers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Shoppers")
public class ShopperResource {

    private final ShopperService shoppers;
    private final ShopperTokens tokens;
    private final RateLimiter rateLimiter;

    public ShopperResource(ShopperService shoppers, ShopperTokens tokens, RateLimiter rateLimiter) {
        this.shoppers = shoppers;
        this.tokens = tokens;
        this.rateLimiter = rateLimiter;
    }

    @POST
    @ResponseStatus(201)
    @Operation(operationId = "createShopper", summary = "Issue an anonymous shopper identity and its bearer token")
    @Raises(ErrorCode.RATE_LIMITED)
    @APIResponse(responseCode = "201", description = "The new identity",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ShopperCredentials.class)))
    public Uni<ShopperCredentials> create(@Context HttpServerRequest http) {
        rateLimiter.newShopper(ClientAddress.of(http));
        return shoppers.create().map(this::credentials);
    }

    @POST
    @Path("/me/token")
    @RolesAllowed(Roles.SHOPPER)
    @SecurityRequirement(name = ApiDocumentation.SHOPPER)
    @Operation(operationId = "renewShopperToken", summary = "A fresh token for the caller (same shopper, new issue time)",
            description = "Tokens expire flashsale.token-ttl after they were issued (30 days by default) and are "
                    + "signed with the current secret; renewing keeps a returning shopper's identity and holds.")
    @APIResponse(responseCode = "200", description = "The caller's identity with a fresh token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ShopperCredentials.class)))
    public Uni<ShopperCredentials> renewToken(@Context SecurityContext security) {
        return shoppers.get(Ids.shopper(security)).map(this::credentials);
    }

    private ShopperCredentials credentials(ShopperService.Shopper shopper) {
        return new ShopperCredentials(shopper.id(), tokens.issue(shopper.id()), shopper.handle());
    }
}

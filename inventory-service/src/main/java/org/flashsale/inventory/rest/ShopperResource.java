package org.flashsale.inventory.rest;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.inventory.repository.ShopperRepository;
import org.flashsale.inventory.security.ShopperTokens;

@Path("/api/shoppers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Shoppers")
public class ShopperResource {

    private final Pool pool;
    private final ShopperRepository shoppers;
    private final ShopperTokens tokens;

    public ShopperResource(Pool pool, ShopperRepository shoppers, ShopperTokens tokens) {
        this.pool = pool;
        this.shoppers = shoppers;
        this.tokens = tokens;
    }

    @POST
    @ResponseStatus(201)
    @Operation(operationId = "createShopper", summary = "Issue an anonymous shopper identity and its bearer token")
    @APIResponse(responseCode = "201", description = "The new identity",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ShopperCredentials.class)))
    public Uni<ShopperCredentials> create() {
        return shoppers.create(pool).map(id -> new ShopperCredentials(id, tokens.issue(id)));
    }
}

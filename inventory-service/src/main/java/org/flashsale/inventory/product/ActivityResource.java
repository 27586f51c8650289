package org.flashsale.inventory.product;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;

import org.flashsale.live.Purchase;

@Path("/api/activity")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Products")
public class ActivityResource {

    private final CatalogService catalog;

    public ActivityResource(CatalogService catalog) {
        this.catalog = catalog;
    }

    @GET
    @Operation(operationId = "listRecentPurchases", summary = "The newest purchases across the catalogue",
            description = "Buyers appear by their display handle only; /ws/stock sends each new one live.")
    @APIResponse(responseCode = "200", description = "Newest first")
    public Uni<List<Purchase>> recent(@QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) {
        return catalog.recentPurchases(limit);
    }
}

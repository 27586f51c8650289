package org.flashsale.inventory.product;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;

import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.Raises;
import org.flashsale.inventory.http.rest.Ids;
import org.flashsale.inventory.product.Activity.ProductActivity;

@Path("/api/products")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Products")
public class ProductResource {

    private final CatalogService catalog;

    public ProductResource(CatalogService catalog) {
        this.catalog = catalog;
    }

    @GET
    @Operation(operationId = "listProducts", summary = "Every product with its current stock")
    public Uni<List<Product>> list() {
        return catalog.list();
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getProduct", summary = "One product with its current stock")
    @Raises(ErrorCode.PRODUCT_NOT_FOUND)
    @APIResponse(responseCode = "200", description = "The product")
    public Uni<Product> get(@PathParam("id") String id) {
        return catalog.get(Ids.parse(id, ErrorCode.PRODUCT_NOT_FOUND, "product"));
    }

    @GET
    @Path("/{id}/activity")
    @Operation(operationId = "getProductActivity", summary = "A product's newest purchases and top purchasers",
            description = "Buyers appear by their display handle only. Live: /ws/stock sends a 'purchase' message "
                    + "for each new one.")
    @Raises(ErrorCode.PRODUCT_NOT_FOUND)
    @APIResponse(responseCode = "200", description = "The activity")
    public Uni<ProductActivity> activity(@PathParam("id") String id,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) {
        return catalog.activity(Ids.parse(id, ErrorCode.PRODUCT_NOT_FOUND, "product"), limit);
    }
}

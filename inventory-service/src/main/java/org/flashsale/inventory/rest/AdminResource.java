package org.flashsale.inventory.rest;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import io.smallrye.mutiny.Uni;

import org.flashsale.inventory.Product;
import org.flashsale.inventory.problem.ErrorCode;
import org.flashsale.inventory.problem.Problem;
import org.flashsale.inventory.problem.ProblemException;
import org.flashsale.inventory.repository.ProductRepository.NewProduct;
import org.flashsale.inventory.security.Roles;
import org.flashsale.inventory.service.CatalogService;

@Path("/api/admin")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@SecurityRequirement(name = ApiDocumentation.ADMIN)
@Tag(name = "Admin")
@APIResponse(responseCode = "401", description = "UNAUTHORIZED: no or a wrong admin key",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "FORBIDDEN: a shopper token",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class AdminResource {

    private final CatalogService catalog;

    public AdminResource(CatalogService catalog) {
        this.catalog = catalog;
    }

    @POST
    @Path("/products")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @Operation(operationId = "createProduct", summary = "Add a product; all of its stock starts available")
    @APIResponse(responseCode = "201", description = "The new product")
    @APIResponse(responseCode = "400", description = "VALIDATION",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "SKU_TAKEN",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Product> create(@Valid @NotNull CreateProductRequest request) {
        return catalog.create(new NewProduct(request.sku(), request.name().strip(),
                request.description() == null ? "" : request.description(), request.imageUrl(),
                request.priceCents(), request.currency() == null ? "USD" : request.currency(), request.totalStock(),
                request.stripes() == null ? 1 : request.stripes()));
    }

    @POST
    @Path("/products/{id}/restock")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "restockProduct", summary = "Add stock (total and available grow by the quantity) and/or re-stripe it")
    @APIResponse(responseCode = "200", description = "The restocked product")
    @APIResponse(responseCode = "400", description = "VALIDATION",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "PRODUCT_NOT_FOUND",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "STOCK_LIMIT",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Product> restock(@PathParam("id") String id, @Valid @NotNull RestockRequest request) {
        if (request.quantity() == 0 && request.stripes() == null) {
            String message = "must be at least 1 unless stripes is given";
            throw new ProblemException(ErrorCode.VALIDATION, "quantity " + message,
                    Map.of("violations", List.of(Map.of("field", "quantity", "message", message))));
        }
        return catalog.restock(Ids.parse(id, ErrorCode.PRODUCT_NOT_FOUND, "product"), request.quantity(),
                request.stripes());
    }

    @POST
    @Path("/reset")
    @Operation(operationId = "resetDemoData",
            summary = "Replace every product and hold with the demo catalogue, in one transaction")
    @APIResponse(responseCode = "200", description = "The new catalogue", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Product.class,
                    type = SchemaType.ARRAY)))
    public Uni<List<Product>> reset() {
        return catalog.resetToDemo();
    }
}

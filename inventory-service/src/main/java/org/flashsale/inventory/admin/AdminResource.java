package org.flashsale.inventory.admin;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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

import org.flashsale.inventory.audit.AuditLog;
import org.flashsale.inventory.audit.AuditPage;
import org.flashsale.inventory.config.FlashSaleConfig;
import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.ProblemException;
import org.flashsale.inventory.http.problem.Raises;
import org.flashsale.inventory.http.rest.ApiDocumentation;
import org.flashsale.inventory.http.rest.Ids;
import org.flashsale.inventory.live.admin.Dashboard;
import org.flashsale.inventory.product.CatalogService;
import org.flashsale.inventory.product.NewProduct;
import org.flashsale.inventory.product.Product;
import org.flashsale.inventory.product.ProductChange;
import org.flashsale.inventory.product.QueueSettings;
import org.flashsale.inventory.queue.QueueService;
import org.flashsale.inventory.queue.QueueStatus;
import org.flashsale.inventory.security.Roles;

@Path("/api/admin")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@SecurityRequirement(name = ApiDocumentation.ADMIN)
@Tag(name = "Admin")
public class AdminResource {

    private final CatalogService catalog;
    private final Dashboard dashboard;
    private final FlashSaleConfig config;
    private final QueueService queues;
    private final AuditLog audit;

    public AdminResource(CatalogService catalog, Dashboard dashboard, FlashSaleConfig config, QueueService queues,
            AuditLog audit) {
        this.catalog = catalog;
        this.dashboard = dashboard;
        this.config = config;
        this.queues = queues;
        this.audit = audit;
    }

    @POST
    @Path("/products")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @Operation(operationId = "createProduct", summary = "Add a product; all of its stock starts available")
    @Raises(ErrorCode.SKU_TAKEN)
    @APIResponse(responseCode = "201", description = "The new product", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Product.class)))
    public Uni<Product> create(@Valid @NotNull CreateProductRequest request) {
        return catalog.create(new NewProduct(request.sku(), request.name().strip(),
                request.description() == null ? "" : request.description(), request.imageUrl(),
                request.priceCents(), request.currency() == null ? "USD" : request.currency(), request.totalStock(),
                request.stripes() == null ? 1 : request.stripes(), request.saleStartsAt(), request.saleEndsAt(),
                request.maxPerShopper(), Boolean.TRUE.equals(request.queue()), request.queueOpensAt(),
                request.admissionTtl() == null ? QueueSettings.DEFAULT_ADMISSION_TTL : request.admissionTtl()));
    }

    @PATCH
    @Path("/products/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateProduct", summary = "Change a product's details, sale window or limit per shopper",
            description = "Fields left out stay as they are; null clears imageUrl, saleStartsAt, saleEndsAt, "
                    + "maxPerShopper or queueOpensAt, and is refused (VALIDATION) for the other fields. Stock changes go through restock. A lower limit never takes back units a shopper "
                    + "already holds or bought; it only refuses more.")
    @Raises(ErrorCode.PRODUCT_NOT_FOUND)
    @APIResponse(responseCode = "200", description = "The updated product")
    public Uni<Product> update(@PathParam("id") String id, @Valid @NotNull UpdateProductRequest request) {
        return catalog.update(Ids.parse(id, ErrorCode.PRODUCT_NOT_FOUND, "product"), new ProductChange(
                request.name() == null ? null : request.name().strip(), request.description(), request.imageUrl(),
                request.priceCents(), request.saleStartsAt(), request.saleEndsAt(), request.maxPerShopper(),
                request.queue(), request.queueOpensAt(), request.admissionTtl()));
    }

    @POST
    @Path("/products/{id}/end-sale")
    @Operation(operationId = "endSale", summary = "End the sale now",
            description = "Reserves are refused from now on (SALE_NOT_ACTIVE); holds already made can still be "
                    + "completed or released, or expire.")
    @Raises(ErrorCode.PRODUCT_NOT_FOUND)
    @APIResponse(responseCode = "200", description = "The product, its saleEndsAt now")
    public Uni<Product> endSale(@PathParam("id") String id) {
        return catalog.endSale(Ids.parse(id, ErrorCode.PRODUCT_NOT_FOUND, "product"));
    }

    @POST
    @Path("/products/{id}/restock")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "restockProduct",
            summary = "Add stock (total and available grow by the quantity) and/or re-stripe it",
            description = "Not idempotent: a retry adds the quantity again. After a lost answer, read the product's "
                    + "totalStock before retrying.")
    @Raises({ ErrorCode.PRODUCT_NOT_FOUND, ErrorCode.STOCK_LIMIT })
    @APIResponse(responseCode = "200", description = "The restocked product")
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
    @Path("/products/{id}/queue/pause")
    @Operation(operationId = "pauseQueue", summary = "Pause the waiting room's admissions",
            description = "From the answer on, nobody new is admitted (by any worker) until resume; admissions already "
                    + "open keep their time, shoppers keep joining and keep their places. Pausing a paused queue "
                    + "changes nothing. The queue's status then says paused: true.")
    @Raises({ ErrorCode.PRODUCT_NOT_FOUND, ErrorCode.NOT_QUEUED })
    @APIResponse(responseCode = "200", description = "The waiting room, paused")
    public Uni<QueueStatus> pauseQueue(@PathParam("id") String id) {
        return queues.pause(Ids.parse(id, ErrorCode.PRODUCT_NOT_FOUND, "product"), true);
    }

    @POST
    @Path("/products/{id}/queue/resume")
    @Operation(operationId = "resumeQueue", summary = "Resume the waiting room's admissions",
            description = "The keeper admits again from its next run, in position order. Resuming a queue that is not "
                    + "paused changes nothing.")
    @Raises({ ErrorCode.PRODUCT_NOT_FOUND, ErrorCode.NOT_QUEUED })
    @APIResponse(responseCode = "200", description = "The waiting room, admitting")
    public Uni<QueueStatus> resumeQueue(@PathParam("id") String id) {
        return queues.pause(Ids.parse(id, ErrorCode.PRODUCT_NOT_FOUND, "product"), false);
    }

    @GET
    @Path("/audit")
    @Operation(operationId = "getAuditLog", summary = "Operators' changes, newest first",
            description = "Every admin change (create, edit, restock, end sale, pause, resume, demo reset) with its "
                    + "time and the product's fields it altered, before and after; written in the transaction of the "
                    + "change, so a refused change leaves no record.")
    @APIResponse(responseCode = "200", description = "A page of the audit log")
    public Uni<AuditPage> audit(@QueryParam("page") @DefaultValue("0") @Min(0) @Max(100_000) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        return audit.page(page, size);
    }

    @GET
    @Path("/dashboard")
    @Operation(operationId = "getDashboard", summary = "The operator's figures now",
            description = "Each product's books (available, held, sold) read now, and the hold traffic of the last "
                    + "second (created and expired per second, longest expiry lag). /ws/admin pushes the same every "
                    + "second.")
    @APIResponse(responseCode = "200", description = "The figures")
    public Uni<Dashboard.Figures> dashboard() {
        return dashboard.now();
    }

    @POST
    @Path("/reset")
    @Operation(operationId = "resetDemoData",
            summary = "Replace every product and hold with the demo catalogue, in one transaction",
            description = "Only where flashsale.demo.reset-enabled is true (dev and test): elsewhere it answers 404 "
                    + "NOT_FOUND, as a path that does not exist. The dashboard's resetAvailable says which.")
    @Raises(ErrorCode.NOT_FOUND)
    @APIResponse(responseCode = "200", description = "The new catalogue", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Product.class,
                    type = SchemaType.ARRAY)))
    public Uni<List<Product>> reset() {
        if (!config.demo().resetEnabled()) {
            throw new NotFoundException();
        }
        return catalog.resetToDemo();
    }
}

package org.flashsale.inventory.order;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;

import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.Raises;
import org.flashsale.inventory.http.rest.ApiDocumentation;
import org.flashsale.inventory.http.rest.Ids;
import org.flashsale.inventory.security.Roles;

@Path("/api/orders")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SHOPPER)
@SecurityRequirement(name = ApiDocumentation.SHOPPER)
@Tag(name = "Orders")
public class OrderResource {

    private final OrderService orders;

    public OrderResource(OrderService orders) {
        this.orders = orders;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "placeOrder", summary = "Pay (mock) several holds as one order, all or none",
            description = "Every hold must be the caller's, ACTIVE and before its expiresAt: otherwise nothing is "
                    + "charged and the answer names the first hold (by id) that is not, with its holdStatus "
                    + "(HOLD_NOT_ACTIVE; EXPIRED for one past its time), or HOLD_NOT_FOUND for one that is not the "
                    + "caller's. Safe to retry: with the same Idempotency-Key and holds it answers the same order "
                    + "(200, Idempotent-Replayed: true); without a key, asking again for exactly the holds of an "
                    + "order already paid answers that order too.")
    @Raises({ ErrorCode.HOLD_NOT_FOUND, ErrorCode.HOLD_NOT_ACTIVE, ErrorCode.IDEMPOTENCY_KEY_REUSED })
    @APIResponse(responseCode = "201", description = "The order, paid",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Order.class)))
    @APIResponse(responseCode = "200", description = "The order paid before (a retry)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Order.class)))
    public Uni<RestResponse<Order>> place(
            @Parameter(description = "The caller's own name for this payment (1-200 visible ASCII characters); a "
                    + "retry with the same key and holds answers the same order, another request under it is "
                    + "IDEMPOTENCY_KEY_REUSED. Orders keep their key.")
            @HeaderParam("Idempotency-Key") @Size(min = 1, max = 200) @Pattern(regexp = "[\\x21-\\x7E]+")
            String idempotencyKey,
            @Valid @NotNull OrderRequest request,
            @Context SecurityContext security) {
        return orders.place(Ids.shopper(security), request.holdIds().toArray(UUID[]::new), idempotencyKey)
                .map(placed -> {
                    var response = RestResponse.ResponseBuilder.create(
                            placed.created() ? RestResponse.Status.CREATED : RestResponse.Status.OK, placed.order());
                    if (!placed.created()) {
                        response.header("Idempotent-Replayed", "true");
                    }
                    return response.build();
                });
    }

    @GET
    @Operation(operationId = "listOrders", summary = "The caller's orders, newest first")
    @APIResponse(responseCode = "200", description = "A page of orders")
    public Uni<OrderPage> list(@QueryParam("page") @DefaultValue("0") @Min(0) @Max(100_000) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size,
            @Context SecurityContext security) {
        return orders.list(Ids.shopper(security), page, size);
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getOrder", summary = "One of the caller's orders (the receipt)",
            description = "Another shopper's order is ORDER_NOT_FOUND, exactly as one that does not exist.")
    @Raises(ErrorCode.ORDER_NOT_FOUND)
    @APIResponse(responseCode = "200", description = "The order")
    public Uni<Order> get(@PathParam("id") String id, @Context SecurityContext security) {
        return orders.get(Ids.shopper(security), Ids.parse(id, ErrorCode.ORDER_NOT_FOUND, "order"));
    }
}

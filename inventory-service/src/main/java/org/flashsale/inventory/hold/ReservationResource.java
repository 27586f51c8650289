package org.flashsale.inventory.hold;

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

import io.quarkus.vertx.http.Uncompressed;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.Raises;
import org.flashsale.inventory.http.rest.ApiDocumentation;
import org.flashsale.inventory.http.rest.ClientAddress;
import org.flashsale.inventory.http.rest.Ids;
import org.flashsale.inventory.security.RateLimiter;
import org.flashsale.inventory.security.Roles;
import org.flashsale.live.HoldStatus;

@Path("/api/reservations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SHOPPER)
@SecurityRequirement(name = ApiDocumentation.SHOPPER)
@Tag(name = "Reservations")
public class ReservationResource {

    private final ReservationService reservations;
    private final RateLimiter rateLimiter;

    public ReservationResource(ReservationService reservations, RateLimiter rateLimiter) {
        this.reservations = reservations;
        this.rateLimiter = rateLimiter;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "reserve", summary = "Hold stock for flashsale.hold-ttl (2 minutes by default)",
            description = "Takes the stock at once. If the caller already holds the product, the quantity is added "
                    + "to that hold and its expiry reset (200). A queued product (waiting room) sells only to a shopper "
                    + "admitted from its queue, whose admission this uses up, or who adds to their own active hold of it."
                    + " Safe to retry only with an Idempotency-Key: send a fresh key for each reserve meant (one press "
                    + "of Reserve) and the same key, with the same body, on every retry of it. Without a key, a retry "
                    + "of a reserve whose answer was lost adds its quantity to the hold a second time. Retry network "
                    + "errors, timeouts, 429, 502, 503 and 504 (after Retry-After when it is sent); any other answer "
                    + "is final.")
    @Raises({ ErrorCode.PRODUCT_NOT_FOUND, ErrorCode.OUT_OF_STOCK, ErrorCode.SALE_NOT_ACTIVE, ErrorCode.NOT_ADMITTED,
            ErrorCode.LIMIT_EXCEEDED, ErrorCode.IDEMPOTENCY_KEY_REUSED, ErrorCode.RATE_LIMITED, ErrorCode.OVERLOADED })
    @APIResponse(responseCode = "201", description = "A new hold",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Hold.class)))
    @APIResponse(responseCode = "200", description = "Merged into the caller's active hold on the product",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Hold.class)))
    @Uncompressed // a hold is a few hundred bytes: gzip would cost each answer CPU and save next to nothing
    public Uni<RestResponse<Hold>> reserve(
            @Parameter(description = "The caller's own name for this reserve (1-200 visible ASCII characters, "
                    + "per shopper). A retry with the same key and body within the key's retention "
                    + "(flashsale.idempotency.retention, 24 hours by default; older keys are forgotten) replays the "
                    + "first answer, its status and hold as they were then, with Idempotent-Replayed: true, and takes "
                    + "nothing more; a retry that arrives while the first is still running gets its answer too. The "
                    + "same key with another body is IDEMPOTENCY_KEY_REUSED. A refusal (OUT_OF_STOCK, LIMIT_EXCEEDED, "
                    + "RATE_LIMITED, ...) is not stored: a retry with its key is decided afresh.")
                    @HeaderParam("Idempotency-Key") @Size(min = 1, max = 200)
                    @Pattern(regexp = "[\\x21-\\x7E]+") String idempotencyKey,
            @Valid @NotNull ReserveRequest request,
            @Context SecurityContext security,
            @Context HttpServerRequest http) {
        rateLimiter.reserve(Ids.shopper(security), ClientAddress.of(http));
        return reservations.reserve(Ids.shopper(security), request.productId(), request.quantity(), idempotencyKey)
                .map(result -> {
                    var response = RestResponse.ResponseBuilder.create(
                            result.created() ? RestResponse.Status.CREATED : RestResponse.Status.OK, result.hold());
                    if (result.replayed()) {
                        response.header("Idempotent-Replayed", "true");
                    }
                    return response.build();
                });
    }

    @GET
    @Operation(operationId = "listReservations", summary = "The caller's holds, newest first")
    @APIResponse(responseCode = "200", description = "A page of holds",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = HoldPage.class)))
    public Uni<HoldPage> list(
            @QueryParam("status") @Pattern(regexp = "ACTIVE|COMPLETED|CANCELLED|EXPIRED") String status,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(100_000) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size,
            @Context SecurityContext security) {
        return reservations.list(Ids.shopper(security), status == null ? null : HoldStatus.valueOf(status), page, size)
                .map(found -> new HoldPage(found.holds(), page, size, found.hasMore()));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getReservation", summary = "One of the caller's holds",
            description = "Another shopper's hold is HOLD_NOT_FOUND, exactly as a hold that does not exist.")
    @Raises(ErrorCode.HOLD_NOT_FOUND)
    @APIResponse(responseCode = "200", description = "The hold")
    @Uncompressed
    public Uni<Hold> get(@PathParam("id") String id, @Context SecurityContext security) {
        return reservations.get(Ids.shopper(security), holdId(id));
    }

    @POST
    @Path("/{id}/complete")
    @Operation(operationId = "completeReservation", summary = "Pay (mock) and turn the hold into a purchase",
            description = "Idempotent, safe to retry without a key: repeating it charges nothing more and answers "
                    + "the same 200. A cancelled hold is HOLD_NOT_ACTIVE (with holdStatus); "
                    + "one past its expiresAt is HOLD_EXPIRED, even before the worker has expired it.")
    @Raises({ ErrorCode.HOLD_NOT_FOUND, ErrorCode.HOLD_NOT_ACTIVE, ErrorCode.HOLD_EXPIRED })
    @APIResponse(responseCode = "200", description = "COMPLETED, with amountCents")
    @Uncompressed
    public Uni<Hold> complete(@PathParam("id") String id, @Context SecurityContext security) {
        return reservations.complete(Ids.shopper(security), holdId(id));
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(operationId = "cancelReservation", summary = "Release the hold; its stock goes back",
            description = "Idempotent, safe to retry without a key: the stock goes back once and repeating it "
                    + "answers the same 200. A completed or expired hold is HOLD_NOT_ACTIVE "
                    + "(with holdStatus).")
    @Raises({ ErrorCode.HOLD_NOT_FOUND, ErrorCode.HOLD_NOT_ACTIVE })
    @APIResponse(responseCode = "200", description = "CANCELLED")
    @Uncompressed
    public Uni<Hold> cancel(@PathParam("id") String id, @Context SecurityContext security) {
        return reservations.cancel(Ids.shopper(security), holdId(id));
    }

    private static UUID holdId(String raw) {
        return Ids.parse(raw, ErrorCode.HOLD_NOT_FOUND, "hold");
    }
}

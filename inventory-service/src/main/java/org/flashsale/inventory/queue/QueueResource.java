package org.flashsale.inventory.queue;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.Raises;
import org.flashsale.inventory.http.rest.ApiDocumentation;
import org.flashsale.inventory.http.rest.ClientAddress;
import org.flashsale.inventory.http.rest.Ids;
import org.flashsale.inventory.http.rest.IfNoneMatch;
import org.flashsale.inventory.product.ProductResource;
import org.flashsale.inventory.security.RateLimiter;
import org.flashsale.inventory.security.Roles;

/**
 * The waiting room of a queued product (see the README's "Waiting room"). Rooted at /api/products like
 * {@link ProductResource}, so Quarkus REST matches both classes' paths as one tree and a wrong method on a queue path
 * is 405, not 404.
 */
@Path("/api/products")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Waiting room")
public class QueueResource {

    /** A page of a draw that ran never changes: any cache may keep it for good. */
    static final String DRAWN = "public, max-age=31536000, immutable";
    /** Before the draw, the (empty) page will change: a cache must ask again every time. */
    static final String NOT_DRAWN = "no-cache";

    private final QueueService queues;
    private final DrawPages drawPages;
    private final RateLimiter rateLimiter;

    public QueueResource(QueueService queues, DrawPages drawPages, RateLimiter rateLimiter) {
        this.queues = queues;
        this.drawPages = drawPages;
        this.rateLimiter = rateLimiter;
    }

    @POST
    @Path("/{id}/queue")
    @RolesAllowed(Roles.SHOPPER)
    @SecurityRequirement(name = ApiDocumentation.SHOPPER)
    @Operation(operationId = "joinQueue", summary = "Join the product's queue",
            description = "Idempotent, safe to retry without a key: joining again keeps the first place (200). "
                    + "Everyone who joins before "
                    + "saleStartsAt is placed by a lottery when the sale opens; later joiners queue behind, in "
                    + "arrival order.")
    @Raises({ ErrorCode.PRODUCT_NOT_FOUND, ErrorCode.NOT_QUEUED, ErrorCode.QUEUE_NOT_OPEN, ErrorCode.QUEUE_CLOSED })
    @APIResponse(responseCode = "201", description = "Joined", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = QueueTicket.class)))
    @APIResponse(responseCode = "200", description = "Already in the queue: the place it has", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = QueueTicket.class)))
    public Uni<RestResponse<QueueTicket>> join(@PathParam("id") String id, @Context SecurityContext security) {
        return queues.join(Ids.shopper(security), productId(id)).map(joined -> RestResponse.ResponseBuilder
                .create(joined.created() ? RestResponse.Status.CREATED : RestResponse.Status.OK, joined.ticket())
                .build());
    }

    @GET
    @Path("/{id}/queue/me")
    @RolesAllowed(Roles.SHOPPER)
    @SecurityRequirement(name = ApiDocumentation.SHOPPER)
    @Operation(operationId = "getMyQueueTicket", summary = "The caller's place in the product's queue")
    @Raises({ ErrorCode.PRODUCT_NOT_FOUND, ErrorCode.NOT_IN_QUEUE })
    @APIResponse(responseCode = "200", description = "The caller's place")
    public Uni<QueueTicket> me(@PathParam("id") String id, @Context SecurityContext security) {
        return queues.ticket(Ids.shopper(security), productId(id));
    }

    @DELETE
    @Path("/{id}/queue/me")
    @RolesAllowed(Roles.SHOPPER)
    @SecurityRequirement(name = ApiDocumentation.SHOPPER)
    @ResponseStatus(204)
    @Operation(operationId = "leaveQueue", summary = "Leave the product's queue",
            description = "Gives up a place that is WAITING or ADMITTED; joining again queues at the back. A "
                    + "finished place (RESERVED, LAPSED, SOLD_OUT) stays as it is. Nothing happens when not in the queue,"
                    + " so it is idempotent and safe to retry.")
    @Raises(ErrorCode.PRODUCT_NOT_FOUND)
    @APIResponse(responseCode = "204", description = "Not in the queue any more")
    public Uni<Void> leave(@PathParam("id") String id, @Context SecurityContext security) {
        return queues.leave(Ids.shopper(security), productId(id));
    }

    @GET
    @Path("/{id}/queue")
    @Operation(operationId = "getQueue", summary = "The product's waiting room: its state, length and published draw",
            description = "After the draw, drawSeed and drawRecipe say how anyone can recompute the order.")
    @Raises(ErrorCode.PRODUCT_NOT_FOUND)
    @APIResponse(responseCode = "200", description = "The queue")
    public Uni<QueueStatus> status(@PathParam("id") String id) {
        return queues.status(productId(id));
    }

    @GET
    @Path("/{id}/queue/draw")
    @Operation(operationId = "getQueueDraw", summary = "The published draw: each place's key, in position order",
            description = "Pages by position: `from` (the first position wanted) and `limit`; `next` is the `from` "
                    + "of the next page. Empty before the draw. With drawSeed, an entrant checks their own place and "
                    + "anyone checks that the keys ascend with the positions. A page never changes once the draw "
                    + "ran: it is sent with a strong ETag and `Cache-Control: " + DRAWN + "` (before the draw: "
                    + "`" + NOT_DRAWN + "`); `If-None-Match` with the ETag is answered 304. Rate-limited per address.")
    @Raises({ ErrorCode.PRODUCT_NOT_FOUND, ErrorCode.RATE_LIMITED })
    @APIResponse(responseCode = "200", description = "A page of the draw", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = QueueDraw.class)),
            headers = { @Header(name = HttpHeaders.ETAG, description = "The page's strong entity tag",
                    schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = HttpHeaders.CACHE_CONTROL, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "304", description = "Not modified: If-None-Match names the page's ETag",
            headers = { @Header(name = HttpHeaders.ETAG, schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = HttpHeaders.CACHE_CONTROL, schema = @Schema(type = SchemaType.STRING)) })
    public Uni<Response> draw(@PathParam("id") String id,
            @QueryParam("from") @DefaultValue("1") @Min(1) int from,
            @QueryParam("limit") @DefaultValue("1000") @Min(1) @Max(1000) int limit,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) @Parameter(
                    description = "ETags of copies the client has: 304 when one is the page's") String ifNoneMatch,
            @Context HttpServerRequest http) {
        rateLimiter.drawPage(ClientAddress.of(http));
        return drawPages.page(productId(id), from, limit).map(page -> {
            Response.ResponseBuilder answer = IfNoneMatch.matches(ifNoneMatch, page.etag())
                    ? Response.notModified()
                    : Response.ok(page.json(), MediaType.APPLICATION_JSON_TYPE);
            return answer.tag(new EntityTag(page.etag()))
                    .header(HttpHeaders.CACHE_CONTROL, page.drawn() ? DRAWN : NOT_DRAWN).build();
        });
    }

    private static UUID productId(String raw) {
        return Ids.parse(raw, ErrorCode.PRODUCT_NOT_FOUND, "product");
    }
}

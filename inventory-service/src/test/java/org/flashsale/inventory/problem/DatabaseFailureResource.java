package org.flashsale.inventory.problem;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;

/** Test-only and hidden from the document: fails the way a lost database fails a reactive query, by name. */
@Path("/test/database-failure")
@Produces(MediaType.APPLICATION_JSON)
public class DatabaseFailureResource {

    @GET
    @Path("/{kind}")
    @Operation(hidden = true)
    public Uni<String> fail(@PathParam("kind") String kind) {
        return Uni.createFrom().failure(switch (kind) {
            case "admin-shutdown" -> new PgException("terminating connection due to administrator command", "FATAL",
                    "57P01", null);
            case "starting-up" -> new PgException("the database system is starting up", "FATAL", "57P03", null);
            case "connection-failure" -> new PgException("connection failure", "FATAL", "08006", null);
            case "connection-closed" -> new NoStackTraceThrowable("Connection is not active now, current status: CLOSED");
            case "pool-timeout" -> new VertxException("Timeout waiting for connection", true);
            case "duplicate-key" -> new PgException("duplicate key", "ERROR", "23505", null);
            default -> new IllegalArgumentException(kind);
        });
    }
}

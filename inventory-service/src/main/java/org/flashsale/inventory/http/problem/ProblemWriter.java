package org.flashsale.inventory.http.problem;

import java.util.Map;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * The one writer of problem responses: an {@link ErrorCode} with a detail and its members becomes the status, the
 * code's headers ({@link ErrorCode#headers()}) and the {@code application/problem+json} body — as a JAX-RS response
 * for the exception mappers, or straight onto the Vert.x response for what is refused before any route.
 */
public final class ProblemWriter {

    private ProblemWriter() {
    }

    public static Response response(ErrorCode code, String detail) {
        return response(Problem.of(code, detail, Map.of()));
    }

    public static Response response(ErrorCode code, String detail, Map<String, Object> properties) {
        return response(Problem.of(code, detail, properties));
    }

    public static Response response(Problem problem) {
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        ErrorCode.valueOf(problem.code()).headers()
                .forEach(header -> response.header(header.headerName(), header.valueFor(problem)));
        return response.build();
    }

    /** Ends {@code context}'s response with the problem; for handlers that run before Quarkus REST. */
    public static void write(RoutingContext context, ObjectMapper json, ErrorCode code, String detail) {
        write(context, json, code, detail, Map.of());
    }

    /** As above, with the code's members ({@code violations} of a VALIDATION problem). */
    public static void write(RoutingContext context, ObjectMapper json, ErrorCode code, String detail,
            Map<String, Object> properties) {
        Problem problem = Problem.of(code, detail, properties);
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        var response = context.response().setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        code.headers().forEach(header -> response.putHeader(header.headerName(), header.valueFor(problem)));
        response.end(body);
    }
}

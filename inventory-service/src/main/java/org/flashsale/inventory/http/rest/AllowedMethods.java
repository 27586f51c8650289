package org.flashsale.inventory.http.rest;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * {@code Allow} says what the path itself answers ({@link ApiRoutes}): on the answer to {@code OPTIONS} and on every
 * 405. A CORS preflight never gets here: Quarkus's CORS handler answers it first.
 */
public class AllowedMethods {

    private static final int METHOD_NOT_ALLOWED = 405;

    private final ApiRoutes routes;

    public AllowedMethods(ApiRoutes routes) {
        this.routes = routes;
    }

    /**
     * Before Quarkus REST picks a resource class: its own answer lists the class's methods, for any path under the
     * class's ({@code OPTIONS /api/products/x/nothing} was 200). A path no route has is 404, as it is to GET.
     */
    @ServerRequestFilter(preMatching = true)
    public Response options(ContainerRequestContext request) {
        if (!HttpMethod.OPTIONS.equals(request.getMethod())) {
            return null;
        }
        String allow = routes.allow(path(request.getUriInfo())).orElseThrow(NotFoundException::new);
        return Response.ok().header(HttpHeaders.ALLOW, allow).build();
    }

    @ServerResponseFilter
    public void onMethodNotAllowed(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() == METHOD_NOT_ALLOWED) {
            routes.allow(path(request.getUriInfo()))
                    .ifPresent(allow -> response.getHeaders().putSingle(HttpHeaders.ALLOW, allow));
        }
    }

    private static String path(UriInfo uri) {
        String path = uri.getPath();
        return path.startsWith("/") ? path : "/" + path;
    }
}

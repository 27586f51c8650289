package org.flashsale.inventory.http.rest;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.Problem;

/**
 * The OpenAPI document's header: tags, the two bearer schemes, and the problem schemas that {@link ErrorResponses}
 * refers every error response to.
 */
@OpenAPIDefinition(
        info = @Info(title = "Flash-sale inventory API", version = "1.0.0",
                description = "Reserve limited stock for a short time, then complete or release it. "
                        + "Errors are RFC 9457 application/problem+json with a stable 'code': each operation lists, "
                        + "per status, the codes it can answer. NOT_FOUND (no such path, or one that is not "
                        + "canonical) and METHOD_NOT_ALLOWED answer requests outside the operations below."),
        components = @Components(schemas = {
                @Schema(name = "Problem", implementation = Problem.class),
                @Schema(name = "ErrorCode", implementation = ErrorCode.class,
                        description = "Every code a problem can carry; each response lists the ones it can.") }),
        tags = {
                @Tag(name = "Shoppers", description = "Anonymous shopper identities"),
                @Tag(name = "Products", description = "The catalogue and live stock"),
                @Tag(name = "Reservations", description = "Holds: reserve, complete, cancel"),
                @Tag(name = "Admin", description = "Operator actions (admin key)") })
@SecurityScheme(securitySchemeName = ApiDocumentation.SHOPPER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "The token from POST /api/shoppers")
@SecurityScheme(securitySchemeName = ApiDocumentation.ADMIN, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "The admin key (flashsale.admin-key)")
public class ApiDocumentation extends Application {

    public static final String SHOPPER = "shopperToken";
    public static final String ADMIN = "adminKey";
}

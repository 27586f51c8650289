package org.flashsale.inventory.rest;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The OpenAPI document's header: tags and the two bearer schemes. */
@OpenAPIDefinition(
        info = @Info(title = "Flash-sale inventory API", version = "1.0.0",
                description = "Reserve limited stock for a short time, then complete or release it. "
                        + "Errors are RFC 9457 application/problem+json with a stable 'code'."),
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

    static final String SHOPPER = "shopperToken";
    static final String ADMIN = "adminKey";
}

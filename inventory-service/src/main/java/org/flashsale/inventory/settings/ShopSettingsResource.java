package org.flashsale.inventory.settings;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.Cache;

import io.smallrye.common.annotation.NonBlocking;

import org.flashsale.inventory.config.FlashSaleConfig;

/** The shop's rules a shopper's page shows from its first paint: the hold length and the limits of one reserve. */
@Path("/api/settings")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Products")
public class ShopSettingsResource {

    /** Seconds a browser or a proxy may reuse the answer: settings change only with a restart. */
    static final int MAX_AGE_SECONDS = 60;

    private final ShopSettings settings;

    public ShopSettingsResource(FlashSaleConfig config) {
        this.settings = new ShopSettings(config.holdTtl().toString(), config.holdLifetime().toString(),
                config.maxPerRequest());
    }

    @GET
    @NonBlocking
    @Cache(maxAge = MAX_AGE_SECONDS)
    @Operation(operationId = "getShopSettings", summary = "The shop's hold length and reserve limits",
            description = "What the shopper's page shows before the first hold (\"Reserve · 2:00\", the quantity "
                    + "stepper's maximum): read from the configuration, cacheable for a minute.")
    @APIResponse(responseCode = "200", description = "The settings")
    public ShopSettings get() {
        return settings;
    }
}

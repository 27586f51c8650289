package org.flashsale.inventory.settings;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a shopper's page shows about the shop's rules before any hold exists: the configuration behind them
 * (flashsale.hold-ttl, flashsale.hold-max-lifetime, flashsale.max-per-request), never a copy in the page.
 */
@Schema(name = "ShopSettings")
public record ShopSettings(
        @Schema(type = SchemaType.STRING, format = "duration", description = "How long a new hold keeps its stock, "
                + "and what a merge resets the expiry to (flashsale.hold-ttl; ISO-8601 duration). A hold never lives "
                + "past holdMaxLifetime, so a new hold lasts the shorter of the two", examples = "PT2M") String holdTtl,
        @Schema(type = SchemaType.STRING, format = "duration", description = "The longest a hold may live however "
                + "often it is added to (flashsale.hold-max-lifetime; ISO-8601 duration)", examples = "PT6M")
        String holdMaxLifetime,
        @Schema(description = "Most units one reserve may ask for (flashsale.max-per-request)", examples = "10")
        int maxPerRequest) {
}

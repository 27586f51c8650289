package org.flashsale.inventory.hold;

/** A completed hold and its buyer's public handle. */
public record Completed(Hold hold, String buyer) {
}

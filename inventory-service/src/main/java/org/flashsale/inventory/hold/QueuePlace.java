package org.flashsale.inventory.hold;

/** A shopper's place in a product's queue as a NOT_ADMITTED refusal read it: position null until placed. */
public record QueuePlace(Integer position, String state) {
}

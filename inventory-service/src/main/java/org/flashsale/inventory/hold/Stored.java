package org.flashsale.inventory.hold;

/** A response stored under a key, with the hash of the request that produced it. */
public record Stored(String requestHash, int status, String body) {
}

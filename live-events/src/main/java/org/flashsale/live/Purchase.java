package org.flashsale.live;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A completed hold as the public activity feed shows it: the buyer's display handle, never an id or a token. */
@RegisterForReflection
public record Purchase(UUID productId, String handle, int quantity, Instant at) {
}

package org.flashsale.live;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A completed hold as the public activity feed shows it: the buyer's display handle, never an id or a token. The same
 * record travels in the live NOTIFY payloads and in inventory-service's activity endpoints.
 */
@RegisterForReflection
@Schema(name = "Purchase")
public record Purchase(UUID productId, @Schema(examples = "Swift Otter 42") String handle,
        @Schema(examples = "2") int quantity, Instant at) {
}

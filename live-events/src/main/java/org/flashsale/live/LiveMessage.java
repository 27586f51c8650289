package org.flashsale.live;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One NOTIFY payload on {@link LiveChannels#EVENTS}: the products whose stock changed (listeners read the committed
 * stock themselves, so the values they send are exact however the changes interleaved), hold events, or a request
 * that every listener resynchronise its clients (after a reset of the catalogue).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@RegisterForReflection
public record LiveMessage(List<UUID> stock, List<HoldEvent> holds, boolean resync) {

    public LiveMessage {
        stock = stock == null ? List.of() : stock;
        holds = holds == null ? List.of() : holds;
    }
}

package org.flashsale.live;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One NOTIFY payload on {@link LiveChannels#EVENTS}: stock changes, hold events, or a request that every listener
 * resynchronise its clients (after a reset of the catalogue).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@RegisterForReflection
public record LiveMessage(List<StockChange> stock, List<HoldEvent> holds, boolean resync) {

    public LiveMessage {
        stock = stock == null ? List.of() : stock;
        holds = holds == null ? List.of() : holds;
    }
}

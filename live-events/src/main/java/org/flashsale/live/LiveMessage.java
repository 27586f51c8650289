package org.flashsale.live;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One NOTIFY payload on {@link LiveChannels#EVENTS}: the products whose stock changed (listeners read the committed
 * stock themselves, so the values they send are exact however the changes interleaved), hold events, purchases for
 * the public activity feed, the products whose waiting room changed (listeners read the tickets of their connected
 * shoppers themselves, for the same reason), or a request that every listener resynchronise its clients (after a
 * catalogue change). {@link LiveCodec} ignores the fields it does not know, at every level (see there).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@RegisterForReflection
public record LiveMessage(List<UUID> stock, List<HoldEvent> holds, List<Purchase> purchases, List<UUID> queues,
        boolean resync) {

    public LiveMessage {
        stock = stock == null ? List.of() : stock;
        holds = holds == null ? List.of() : holds;
        purchases = purchases == null ? List.of() : purchases;
        queues = queues == null ? List.of() : queues;
    }
}

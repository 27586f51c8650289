package org.flashsale.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class LiveCodecTest {

    /** A rolling deploy: a newer instance's payload carries a kind of news this version does not know. */
    @Test
    void aPayloadWithNewsThisVersionDoesNotKnowKeepsWhatItDoesKnow() {
        UUID product = UUID.randomUUID();

        LiveMessage message = LiveCodec.decode("{\"stock\":[\"" + product + "\"],\"tickets\":[{\"id\":1}],\"later\":true}");

        assertEquals(List.of(product), message.stock());
        assertEquals(new LiveMessage(List.of(), List.of(), List.of(), List.of(), false),
                LiveCodec.decode("{\"somethingNew\":[1,2,3]}"), "news of an unknown kind alone is nothing");
        HoldEvent hold = new HoldEvent(HoldEvent.Change.CREATED, UUID.randomUUID(), UUID.randomUUID(), product, 1,
                HoldStatus.ACTIVE, Instant.EPOCH, Instant.EPOCH);
        String payload = LiveCodec.encode(List.of(), List.of(hold), List.of(), List.of(), false).get(0);
        assertEquals(List.of(hold), LiveCodec.decode(payload.replace("\"holds\":[{", "\"holds\":[{\"later\":1,")).holds(),
                "a hold event with a field added later");
    }

    @Test
    void manyChangesSplitIntoPayloadsThatFitANotifyAndDecodeBackInOrder() {
        List<UUID> stock = IntStream.range(0, 500).mapToObj(i -> UUID.randomUUID()).toList();
        List<HoldEvent> holds = IntStream.range(0, 300)
                .mapToObj(i -> new HoldEvent(HoldEvent.Change.EXPIRED, UUID.randomUUID(), UUID.randomUUID(),
                        UUID.randomUUID(), 2, HoldStatus.EXPIRED, Instant.EPOCH, Instant.EPOCH.plusMillis(i)))
                .toList();

        List<Purchase> purchases = IntStream.range(0, 200)
                .mapToObj(i -> new Purchase(UUID.randomUUID(), "Swift Otter " + i, 1 + i % 3, Instant.EPOCH.plusSeconds(i)))
                .toList();

        List<UUID> queues = IntStream.range(0, 300).mapToObj(i -> UUID.randomUUID()).toList();

        List<String> payloads = LiveCodec.encode(stock, holds, purchases, queues, true);

        assertTrue(payloads.size() > 2, "split into several payloads");
        payloads.forEach(p -> assertTrue(p.getBytes(StandardCharsets.UTF_8).length <= LiveChannels.MAX_PAYLOAD_BYTES));
        List<UUID> decodedStock = new ArrayList<>();
        List<HoldEvent> decodedHolds = new ArrayList<>();
        List<Purchase> decodedPurchases = new ArrayList<>();
        List<UUID> decodedQueues = new ArrayList<>();
        int resyncs = 0;
        for (String payload : payloads) {
            LiveMessage message = LiveCodec.decode(payload);
            decodedStock.addAll(message.stock());
            decodedHolds.addAll(message.holds());
            decodedPurchases.addAll(message.purchases());
            decodedQueues.addAll(message.queues());
            resyncs += message.resync() ? 1 : 0;
        }
        assertEquals(stock, decodedStock);
        assertEquals(holds, decodedHolds);
        assertEquals(purchases, decodedPurchases);
        assertEquals(queues, decodedQueues);
        assertEquals(1, resyncs);
    }
}

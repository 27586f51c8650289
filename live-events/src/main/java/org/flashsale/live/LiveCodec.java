package org.flashsale.live;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** Encodes changes into NOTIFY payloads that each fit the size limit, and decodes them. */
public final class LiveCodec {

    /**
     * Fields it does not know are ignored, not refused, at every level: in a rolling deploy a newer instance's payload
     * (a kind of news added later, or a field added to a hold event) is then nothing new to this one, and the rest of
     * it still counts.
     */
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final int ENVELOPE_BYTES = 64;

    private LiveCodec() {
    }

    /** As few payloads as fit {@link LiveChannels#MAX_PAYLOAD_BYTES}, in the order given. */
    public static List<String> encode(List<UUID> stock, List<HoldEvent> holds, List<Purchase> purchases,
            List<UUID> queues, boolean resync) {
        List<String> payloads = new ArrayList<>();
        if (resync) {
            payloads.add(write(new LiveMessage(List.of(), List.of(), List.of(), List.of(), true)));
        }
        chunk(stock, items -> new LiveMessage(items, List.of(), List.of(), List.of(), false), payloads);
        chunk(holds, items -> new LiveMessage(List.of(), items, List.of(), List.of(), false), payloads);
        chunk(purchases, items -> new LiveMessage(List.of(), List.of(), items, List.of(), false), payloads);
        chunk(queues, items -> new LiveMessage(List.of(), List.of(), List.of(), items, false), payloads);
        return payloads;
    }

    public static LiveMessage decode(String payload) {
        try {
            return JSON.readValue(payload, LiveMessage.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a live message: " + payload, e);
        }
    }

    /** Groups items by their encoded size (plus room for the envelope), then writes one message per group. */
    private static <T> void chunk(List<T> items, Function<List<T>, LiveMessage> message, List<String> payloads) {
        List<T> group = new ArrayList<>();
        int groupBytes = ENVELOPE_BYTES;
        for (T item : items) {
            int itemBytes = bytes(write(item)) + 1;
            if (!group.isEmpty() && groupBytes + itemBytes > LiveChannels.MAX_PAYLOAD_BYTES) {
                payloads.add(write(message.apply(group)));
                group = new ArrayList<>();
                groupBytes = ENVELOPE_BYTES;
            }
            group.add(item);
            groupBytes += itemBytes;
        }
        if (!group.isEmpty()) {
            payloads.add(write(message.apply(group)));
        }
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

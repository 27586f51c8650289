package org.flashsale.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/** Reading the frames of /ws/stock: a snapshot, or a batch of stock entries and purchases. */
public final class StockFrames {

    private StockFrames() {
    }

    public static boolean isSnapshot(JsonNode message) {
        return "snapshot".equals(message.path("type").asText());
    }

    public static boolean isBatch(JsonNode message) {
        return "batch".equals(message.path("type").asText());
    }

    /** The product's stock entry in a batch, or a missing node when the frame has none for it. */
    public static JsonNode stockOf(JsonNode message, UUID product) {
        if (isBatch(message)) {
            for (JsonNode entry : message.path("stock")) {
                if (product.toString().equals(entry.path("productId").asText())) {
                    return entry;
                }
            }
        }
        return MissingNode.getInstance();
    }

    /** A batch with a stock entry of the product that matches. */
    public static Predicate<JsonNode> withStock(UUID product, Predicate<JsonNode> entry) {
        return message -> !stockOf(message, product).isMissingNode() && entry.test(stockOf(message, product));
    }

    /** A batch with this product's stock, whatever its value. */
    public static Predicate<JsonNode> withStock(UUID product) {
        return withStock(product, entry -> true);
    }

    /** A batch with at least one purchase. */
    public static boolean hasPurchases(JsonNode message) {
        return isBatch(message) && !message.path("purchases").isEmpty();
    }

    /** Every purchase of these frames, in order. */
    public static List<JsonNode> purchases(List<JsonNode> messages) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode message : messages) {
            if (isBatch(message)) {
                message.path("purchases").forEach(all::add);
            }
        }
        return all;
    }
}

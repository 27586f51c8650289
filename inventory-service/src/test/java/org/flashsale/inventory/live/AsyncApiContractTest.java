package org.flashsale.inventory.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The contract check itself: it passes what the document allows and fails everything else. */
class AsyncApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AsyncApiContract CONTRACT = AsyncApiContract.committed();

    @Test
    void theDocumentDeclaresEveryStreamAndItsMessageTypes() {
        assertEquals(Set.of("/ws/stock", "/ws/shopper", "/ws/admin"), CONTRACT.addresses());
        assertEquals(Set.of("snapshot", "batch"), CONTRACT.types("/ws/stock"));
        assertEquals(Set.of("hold"), CONTRACT.types("/ws/shopper"));
        assertEquals(Set.of("dashboard"), CONTRACT.types("/ws/admin"));
    }

    @Test
    void aMessageAsTheServerWritesItPasses() {
        CONTRACT.assertValid("/ws/stock", batch());
        ObjectNode nothingBought = batch();
        nothingBought.putArray("purchases");
        CONTRACT.assertValid("/ws/stock", nothingBought);
        CONTRACT.assertValid("/ws/shopper", json("""
                {"type":"hold","change":"CANCELLED","id":"1b4e28ba-2fa1-11d2-883f-0016d3cca427",
                 "productId":"0d1f0c5e-1c3e-4d7e-9a51-2f3a4b5c6d7e","quantity":2,"status":"CANCELLED",
                 "expiresAt":"2026-03-01T10:02:00.123456Z","endedAt":"2026-03-01T10:01:00Z"}"""));
    }

    @Test
    void aPropertyTheDocumentDoesNotNameFails() {
        ObjectNode message = batch();
        message.put("shopperId", "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
        ObjectNode inAPurchase = batch();
        purchase(inAPurchase).put("shopperId", "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
        ObjectNode aStockEntryTyped = batch();
        stockEntry(aStockEntryTyped).put("type", "stock"); // the entries are not messages of their own
        for (ObjectNode bad : new ObjectNode[] { message, inAPurchase, aStockEntryTyped }) {
            assertThrows(AssertionFailedError.class, () -> CONTRACT.assertValid("/ws/stock", bad), bad.toString());
        }
    }

    @Test
    void aMissingPropertyAWrongTypeOrABadDateFails() {
        ObjectNode missing = batch();
        stockEntry(missing).remove("version");
        ObjectNode noPurchases = batch();
        noPurchases.remove("purchases");
        ObjectNode wrongType = batch();
        stockEntry(wrongType).put("availableStock", "5");
        ObjectNode notAnArray = batch();
        notAnArray.set("stock", stockEntry(batch()));
        ObjectNode badDate = batch();
        purchase(badDate).put("at", "yesterday");
        for (ObjectNode message : new ObjectNode[] { missing, noPurchases, wrongType, notAnArray, badDate }) {
            assertThrows(AssertionFailedError.class, () -> CONTRACT.assertValid("/ws/stock", message),
                    message.toString());
        }
    }

    @Test
    void aTypeTheChannelDoesNotDeclareFails() {
        ObjectNode onTheWrongStream = batch();
        assertThrows(AssertionFailedError.class, () -> CONTRACT.assertValid("/ws/shopper", onTheWrongStream));
        ObjectNode unknown = batch();
        unknown.put("type", "restock");
        assertThrows(AssertionFailedError.class, () -> CONTRACT.assertValid("/ws/stock", unknown));
        // The messages the batch replaced are no longer part of the stream.
        ObjectNode formerStock = stockEntry(batch());
        formerStock.put("type", "stock");
        assertThrows(AssertionFailedError.class, () -> CONTRACT.assertValid("/ws/stock", formerStock));
    }

    private static ObjectNode batch() {
        return (ObjectNode) json("""
                {"type":"batch",
                 "stock":[{"productId":"0d1f0c5e-1c3e-4d7e-9a51-2f3a4b5c6d7e","availableStock":5,"totalStock":10,
                           "version":7,"at":"2026-03-01T10:00:00.5Z"},
                          {"productId":"1b4e28ba-2fa1-11d2-883f-0016d3cca427","availableStock":0,"totalStock":3,
                           "version":12,"at":"2026-03-01T10:00:00.6Z"}],
                 "purchases":[{"productId":"0d1f0c5e-1c3e-4d7e-9a51-2f3a4b5c6d7e","handle":"Swift Otter 17",
                               "quantity":1,"at":"2026-03-01T10:00:00.4Z"}],
                 "serverTime":"2026-03-01T10:00:00.7Z"}""");
    }

    private static ObjectNode stockEntry(ObjectNode batch) {
        return (ObjectNode) batch.get("stock").get(0);
    }

    private static ObjectNode purchase(ObjectNode batch) {
        return (ObjectNode) batch.get("purchases").get(0);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}

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
        assertEquals(Set.of("hold", "queue"), CONTRACT.types("/ws/shopper"));
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
        CONTRACT.assertValid("/ws/shopper", waiting());
        CONTRACT.assertValid("/ws/shopper", json("""
                {"type":"queue","productId":"0d1f0c5e-1c3e-4d7e-9a51-2f3a4b5c6d7e","state":"ADMITTED","position":57,
                 "ahead":null,"estimatedWaitSeconds":null,"admissionExpiresAt":"2026-03-01T10:02:00.5Z",
                 "joinedAt":"2026-03-01T09:00:00Z"}"""));
        ObjectNode unplaced = waiting();
        unplaced.putNull("position").putNull("ahead").putNull("estimatedWaitSeconds");
        CONTRACT.assertValid("/ws/shopper", unplaced);
        CONTRACT.assertValid("/ws/admin", dashboard(true));
        CONTRACT.assertValid("/ws/admin", dashboard(false)); // a product without a waiting room has no queue figures
    }

    @Test
    void aQueueMessageOrQueueFiguresTheDocumentDoesNotAllowFail() {
        ObjectNode anotherShopper = waiting();
        anotherShopper.put("shopperId", "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
        ObjectNode unknownState = waiting();
        unknownState.put("state", "QUEUED");
        ObjectNode noDeadlineField = waiting();
        noDeadlineField.remove("admissionExpiresAt");
        ObjectNode positionZero = waiting();
        positionZero.put("position", 0);
        ObjectNode aheadAsText = waiting();
        aheadAsText.put("ahead", "41");
        for (ObjectNode bad : new ObjectNode[] { anotherShopper, unknownState, noDeadlineField, positionZero,
                aheadAsText }) {
            assertThrows(AssertionFailedError.class, () -> CONTRACT.assertValid("/ws/shopper", bad), bad.toString());
        }
        ObjectNode noRate = dashboard(true);
        queueFigures(noRate).remove("admissionsPerSecond");
        ObjectNode negativeWaiting = dashboard(true);
        queueFigures(negativeWaiting).put("waiting", -1);
        ObjectNode extraFigure = dashboard(true);
        queueFigures(extraFigure).put("reserved", 3);
        for (ObjectNode bad : new ObjectNode[] { noRate, negativeWaiting, extraFigure }) {
            assertThrows(AssertionFailedError.class, () -> CONTRACT.assertValid("/ws/admin", bad), bad.toString());
        }
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

    private static ObjectNode waiting() {
        return (ObjectNode) json("""
                {"type":"queue","productId":"0d1f0c5e-1c3e-4d7e-9a51-2f3a4b5c6d7e","state":"WAITING","position":57,
                 "ahead":41,"estimatedWaitSeconds":90,"admissionExpiresAt":null,"joinedAt":"2026-03-01T09:00:00Z"}""");
    }

    private static ObjectNode dashboard(boolean queued) {
        ObjectNode figures = (ObjectNode) json("""
                {"type":"dashboard","at":"2026-03-01T10:00:01Z","intervalMillis":1000,"resetAvailable":false,
                 "products":[{"productId":"0d1f0c5e-1c3e-4d7e-9a51-2f3a4b5c6d7e","name":"Sneakers","totalStock":10,
                              "availableStock":4,"held":3,"sold":3,"createdPerSecond":2.0,"expiredPerSecond":0.0,
                              "expiryLagMillis":null,
                              "queue":{"waiting":18250,"admitted":12,"lapsed":3,"admissionsPerSecond":4.5,
                                       "paused":false}}]}""");
        if (!queued) {
            ((ObjectNode) figures.get("products").get(0)).remove("queue");
        }
        return figures;
    }

    private static ObjectNode queueFigures(ObjectNode dashboard) {
        return (ObjectNode) dashboard.get("products").get(0).get("queue");
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

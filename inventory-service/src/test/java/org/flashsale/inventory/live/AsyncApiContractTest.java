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
        assertEquals(Set.of("snapshot", "stock", "purchase"), CONTRACT.types("/ws/stock"));
        assertEquals(Set.of("hold"), CONTRACT.types("/ws/shopper"));
        assertEquals(Set.of("dashboard"), CONTRACT.types("/ws/admin"));
    }

    @Test
    void aMessageAsTheServerWritesItPasses() {
        CONTRACT.assertValid("/ws/stock", stock());
        CONTRACT.assertValid("/ws/shopper", json("""
                {"type":"hold","change":"CANCELLED","id":"1b4e28ba-2fa1-11d2-883f-0016d3cca427",
                 "productId":"0d1f0c5e-1c3e-4d7e-9a51-2f3a4b5c6d7e","quantity":2,"status":"CANCELLED",
                 "expiresAt":"2026-03-01T10:02:00.123456Z","endedAt":"2026-03-01T10:01:00Z"}"""));
    }

    @Test
    void aPropertyTheDocumentDoesNotNameFails() {
        ObjectNode message = stock();
        message.put("shopperId", "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
        assertThrows(AssertionFailedError.class, () -> CONTRACT.assertValid("/ws/stock", message));
    }

    @Test
    void aMissingPropertyAWrongTypeOrABadDateFails() {
        ObjectNode missing = stock();
        missing.remove("version");
        ObjectNode wrongType = stock();
        wrongType.put("availableStock", "5");
        ObjectNode badDate = stock();
        badDate.put("at", "yesterday");
        for (ObjectNode message : new ObjectNode[] { missing, wrongType, badDate }) {
            assertThrows(AssertionFailedError.class, () -> CONTRACT.assertValid("/ws/stock", message),
                    message.toString());
        }
    }

    @Test
    void aTypeTheChannelDoesNotDeclareFails() {
        ObjectNode onTheWrongStream = stock();
        assertThrows(AssertionFailedError.class, () -> CONTRACT.assertValid("/ws/shopper", onTheWrongStream));
        ObjectNode unknown = stock();
        unknown.put("type", "restock");
        assertThrows(AssertionFailedError.class, () -> CONTRACT.assertValid("/ws/stock", unknown));
    }

    private static ObjectNode stock() {
        return (ObjectNode) json("""
                {"type":"stock","productId":"0d1f0c5e-1c3e-4d7e-9a51-2f3a4b5c6d7e","availableStock":5,
                 "totalStock":10,"version":7,"at":"2026-03-01T10:00:00.5Z"}""");
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}

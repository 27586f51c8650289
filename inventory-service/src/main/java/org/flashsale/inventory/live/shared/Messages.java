package org.flashsale.inventory.live.shared;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;

import org.flashsale.inventory.product.StockChange;
import org.flashsale.inventory.queue.QueueTicket;
import org.flashsale.live.HoldEvent;
import org.flashsale.live.Purchase;

/** The JSON messages of /ws/stock and /ws/shopper. */
public final class Messages {

    private Messages() {
    }

    /** A message as JSON text. Our own records always serialize: a failure is a bug, not the client's. */
    public static String encode(ObjectMapper json, Object message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A message as JSON in UTF-8 bytes, for a frame written as it is (as {@link #encode}). */
    public static byte[] encodeUtf8(ObjectMapper json, Object message) {
        try {
            return json.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @RegisterForReflection
    public record ProductStock(UUID productId, int availableStock, int totalStock, long version) {
    }

    @RegisterForReflection
    public record Snapshot(String type, List<ProductStock> products, Instant serverTime) {
        public static Snapshot of(List<StockChange> stock) {
            return new Snapshot("snapshot", stock.stream()
                    .map(s -> new ProductStock(s.productId(), s.availableStock(), s.totalStock(), s.version()))
                    .toList(), Instant.now());
        }
    }

    /**
     * One coalesce tick's news for one watcher of /ws/stock: every product that changed since the watcher's last
     * frame (each once, newest value, in version order) and the purchases of the tick.
     */
    @RegisterForReflection
    public record Batch(String type, List<StockEntry> stock, List<PurchaseEntry> purchases, Instant serverTime) {
        public static Batch of(List<StockChange> stock, List<PurchaseEntry> purchases) {
            return new Batch("batch", stock.stream().map(StockEntry::of).toList(), purchases, Instant.now());
        }
    }

    @RegisterForReflection
    public record StockEntry(UUID productId, int availableStock, int totalStock, long version, Instant at) {
        public static StockEntry of(StockChange change) {
            return new StockEntry(change.productId(), change.availableStock(), change.totalStock(), change.version(),
                    change.at());
        }
    }

    @RegisterForReflection
    public record PurchaseEntry(UUID productId, String handle, int quantity, Instant at) {
        public static PurchaseEntry of(Purchase purchase) {
            return new PurchaseEntry(purchase.productId(), purchase.handle(), purchase.quantity(), purchase.at());
        }
    }

    @RegisterForReflection
    public record HoldMessage(String type, String change, UUID id, UUID productId, int quantity, String status,
            Instant expiresAt, Instant endedAt) {
        public static HoldMessage of(HoldEvent event) {
            return new HoldMessage("hold", event.change().name(), event.id(), event.productId(), event.quantity(),
                    event.status().name(), event.expiresAt(), event.endedAt());
        }
    }

    /** A shopper's ticket of one product's queue: the REST ticket (GET …/queue/me) with its type. */
    @RegisterForReflection
    public record QueueMessage(String type, UUID productId, String state, Integer position, Long ahead,
            Long estimatedWaitSeconds, Instant admissionExpiresAt, Instant joinedAt) {
        public static QueueMessage of(QueueTicket ticket) {
            return new QueueMessage("queue", ticket.productId(), ticket.state().name(), ticket.position(),
                    ticket.ahead(), ticket.estimatedWaitSeconds(), ticket.admissionExpiresAt(), ticket.joinedAt());
        }
    }
}

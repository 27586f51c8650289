package org.flashsale.inventory.live.admin;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.flashsale.live.HoldEvent;

/**
 * Counts the hold events this instance hears — from every process, over the live channel — per product: holds
 * created, holds expired, and the longest expiry lag (how long after its {@code expiresAt} the worker ended a hold).
 * The dashboard takes the counts once per tick.
 */
@ApplicationScoped
public class HoldMeter {

    /** One product's events since the last take. */
    public record Counts(long created, long expired, long maxExpiryLagMillis) {

        static final Counts NONE = new Counts(0, 0, 0);

        Counts plus(Counts other) {
            return new Counts(created + other.created, expired + other.expired,
                    Math.max(maxExpiryLagMillis, other.maxExpiryLagMillis));
        }
    }

    private final Map<UUID, Counts> counts = new ConcurrentHashMap<>();

    public void record(HoldEvent event) {
        Counts one = switch (event.change()) {
            case CREATED -> new Counts(1, 0, 0);
            case EXPIRED -> new Counts(0, 1, event.endedAt() == null ? 0
                    : Math.max(0, Duration.between(event.expiresAt(), event.endedAt()).toMillis()));
            default -> null;
        };
        if (one != null) {
            counts.merge(event.productId(), one, Counts::plus);
        }
    }

    /** The counts since the last call, per product; products without events are absent. */
    public Map<UUID, Counts> take() {
        Map<UUID, Counts> taken = new HashMap<>();
        for (UUID product : counts.keySet()) {
            Counts removed = counts.remove(product);
            if (removed != null) {
                taken.put(product, removed);
            }
        }
        return taken;
    }
}

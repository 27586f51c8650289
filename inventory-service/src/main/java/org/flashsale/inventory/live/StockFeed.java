package org.flashsale.inventory.live;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.flashsale.inventory.StockChange;

/**
 * What the live stream knows of stock. Notifications name the products whose stock changed ({@link #heard}); the
 * values are then read from the database and kept here, newest per product. An older version that arrives after a
 * newer one is dropped, so nothing downstream ever goes back in time.
 */
@ApplicationScoped
public class StockFeed {

    private final Map<UUID, StockChange> latest = new ConcurrentHashMap<>();
    private final Set<UUID> changedSinceLastTake = ConcurrentHashMap.newKeySet();
    private final Set<UUID> heard = ConcurrentHashMap.newKeySet();

    /** Some process changed this product's stock; its value is still to be read. */
    public void heard(UUID productId) {
        heard.add(productId);
    }

    /** The products heard to have changed since the last call. */
    public Set<UUID> takeHeard() {
        Set<UUID> taken = new HashSet<>();
        for (UUID product : heard) {
            if (heard.remove(product)) {
                taken.add(product);
            }
        }
        return taken;
    }

    /** Records the change if it is newer than what we have. */
    public void apply(StockChange change) {
        StockChange kept = latest.merge(change.productId(), change, StockChange::newer);
        if (kept == change) {
            changedSinceLastTake.add(change.productId());
        }
    }

    /** The products whose stock changed since the last call, with their newest values. */
    public List<StockChange> takeChanged() {
        List<StockChange> changed = new ArrayList<>();
        for (UUID product : changedSinceLastTake) {
            changedSinceLastTake.remove(product);
            StockChange change = latest.get(product);
            if (change != null) {
                changed.add(change);
            }
        }
        return changed;
    }

    /** Applies the value (e.g. read from the database) and returns the newest one we now hold for its product. */
    public StockChange newest(StockChange change) {
        apply(change);
        return latest.get(change.productId());
    }

    public Collection<StockChange> all() {
        return latest.values();
    }

    /** Forgets everything (the catalogue was replaced); a fresh snapshot follows. */
    public void clear() {
        latest.clear();
        changedSinceLastTake.clear();
        heard.clear();
    }
}

package org.flashsale.inventory.live.stock;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.flashsale.inventory.product.StockChange;

/**
 * What the live stream knows of stock. Notifications name the products whose stock changed ({@link #heard}); the
 * values are then read from the database and kept here, newest per product. An older version that arrives after a
 * newer one is dropped, so nothing downstream ever goes back in time.
 */
@ApplicationScoped
public class StockFeed {

    static final Comparator<StockChange> BY_VERSION = Comparator.comparingLong(StockChange::version);

    private final Map<UUID, StockChange> latest = new ConcurrentHashMap<>();
    private final Set<UUID> changedSinceLastTake = ConcurrentHashMap.newKeySet();
    private final Set<UUID> heard = ConcurrentHashMap.newKeySet();
    /** Per product, the value last sent to watchers and the generation of the tick that sent it. */
    private final Map<UUID, Sent> sent = new ConcurrentHashMap<>();

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

    /** These values went out to the watchers in the tick of this generation. */
    public void sent(List<StockChange> changes, long generation) {
        for (StockChange change : changes) {
            sent.put(change.productId(), new Sent(change, generation));
        }
    }

    /**
     * What a watcher that has every value up to generation {@code after} lacks, as of generation {@code upTo}: the
     * values sent in between, in version order. A value replaced by a later generation's meanwhile is left out (that
     * later tick carries it).
     */
    public List<StockChange> sentBetween(long after, long upTo) {
        List<StockChange> missed = new ArrayList<>();
        for (Sent value : sent.values()) {
            if (value.generation() > after && value.generation() <= upTo) {
                missed.add(value.change());
            }
        }
        missed.sort(BY_VERSION);
        return missed;
    }

    /** Forgets everything (the catalogue was replaced); a fresh snapshot follows. */
    public void clear() {
        latest.clear();
        changedSinceLastTake.clear();
        heard.clear();
        sent.clear();
    }

    private record Sent(StockChange change, long generation) {
    }
}

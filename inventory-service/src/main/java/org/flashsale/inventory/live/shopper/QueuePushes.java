package org.flashsale.inventory.live.shopper;

import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.inventory.live.shared.LiveConfig;
import org.flashsale.inventory.queue.Entry;
import org.flashsale.inventory.queue.QueueRepository;
import org.flashsale.inventory.queue.QueueService;
import org.flashsale.inventory.queue.QueueTicket.QueueState;
import org.flashsale.inventory.queue.QueueTicket;
import org.flashsale.live.HoldEvent;

/**
 * Pushes queue tickets to the shoppers connected to this instance ({@code /ws/shopper}, type {@code queue}). The
 * live channel names the products whose waiting room changed (the expiry-worker's keeper after each run, a shopper
 * who left); every {@code flashsale.live.coalesce} tick reads, per product heard of, the tickets of every shopper
 * connected here in one query ({@link QueueRepository#entries}), and sends each shopper the ticket when its news
 * differs from the last one sent: a new state at once, a WAITING shopper's new position or number ahead at most once
 * per {@code flashsale.live.queue-coalesce} per product (the newest then). A shopper who connects gets nothing until
 * their ticket changes (clients read {@code GET …/queue/me} on connect).
 */
@ApplicationScoped
public class QueuePushes {

    private static final Logger LOG = Logger.getLogger(QueuePushes.class);

    private final QueueRepository queues;
    private final Pool pool;
    private final ShopperSocket sockets;
    private final Vertx vertx;
    private final LiveConfig config;

    private final Set<UUID> heard = ConcurrentHashMap.newKeySet();
    /** Per shopper connected here and product, the last ticket sent and when. */
    private final Map<Key, Sent> sent = new ConcurrentHashMap<>();
    /** WAITING tickets held back until their shopper's interval has passed, the newest per shopper and product. */
    private final Map<Key, QueueTicket> deferred = new ConcurrentHashMap<>();
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile long lastForget = System.nanoTime();

    public QueuePushes(QueueRepository queues, Pool pool, ShopperSocket sockets, Vertx vertx, LiveConfig config) {
        this.queues = queues;
        this.pool = pool;
        this.sockets = sockets;
        this.vertx = vertx;
        this.config = config;
    }

    void startTicking(@Observes StartupEvent event) {
        vertx.setPeriodic(config.coalesce().toMillis(), id -> tick());
    }

    /** Some process changed this product's queue; the tickets are still to be read. */
    public void heard(UUID productId) {
        heard.add(productId);
    }

    /**
     * A hold of a shopper whose last ticket here said ADMITTED: the reserve that made it may have used the admission,
     * so the product is read again (and the shopper told RESERVED). Other hold events change no ticket.
     */
    public void heardHold(HoldEvent event) {
        if (event.change() != HoldEvent.Change.CREATED && event.change() != HoldEvent.Change.EXTENDED) {
            return;
        }
        Sent last = sent.get(new Key(event.shopperId(), event.productId()));
        if (last != null && last.ticket().state() == QueueState.ADMITTED) {
            heard.add(event.productId());
        }
    }

    /** The listener missed what happened while away: every queue that may have news is read again. */
    public Uni<Void> resync() {
        return queues.liveQueues(pool).invoke(heard::addAll).replaceWithVoid();
    }

    void tick() {
        long now = System.nanoTime();
        if (now - lastForget >= config.queueCoalesce().toNanos()) {
            lastForget = now;
            sent.keySet().removeIf(key -> !sockets.isConnected(key.shopperId()));
            deferred.keySet().removeIf(key -> !sockets.isConnected(key.shopperId()));
        }
        sendDue(now);
        if (heard.isEmpty() || !reading.compareAndSet(false, true)) {
            return; // a read still in flight leaves what was heard meanwhile for the next tick
        }
        Set<UUID> products = takeHeard();
        UUID[] shoppers = sockets.connectedShoppers().toArray(new UUID[0]);
        if (shoppers.length == 0) {
            reading.set(false);
            return;
        }
        Uni<Void> reads = Uni.createFrom().voidItem();
        for (UUID product : products) {
            reads = reads.chain(() -> read(product, shoppers));
        }
        reads.eventually(() -> reading.set(false)).subscribe().with(ignored -> { }, failure -> { });
    }

    /** One product's tickets of the given shoppers; a failed read is tried again at the next tick. */
    private Uni<Void> read(UUID product, UUID[] shoppers) {
        return queues.entries(pool, product, shoppers)
                .invoke(entries -> push(product, entries, System.nanoTime()))
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> {
                    LOG.debugf("queue tickets of %s not read, again next tick: %s", product, failure.getMessage());
                    heard.add(product);
                    return Uni.createFrom().voidItem();
                });
    }

    private void push(UUID product, Map<UUID, Entry> entries, long now) {
        long interval = config.queueCoalesce().toNanos();
        entries.forEach((shopper, entry) -> {
            Key key = new Key(shopper, product);
            QueueTicket ticket = QueueService.ticketOf(entry);
            Sent last = sent.get(key);
            if (last != null && sameNews(last.ticket(), ticket)) {
                deferred.remove(key);
            } else if (last != null && ticket.state() == QueueState.WAITING
                    && last.ticket().state() == QueueState.WAITING && now - last.atNanos() < interval) {
                deferred.put(key, ticket);
            } else {
                send(key, ticket, now);
            }
        });
    }

    /** The held-back WAITING tickets whose interval has passed. */
    private void sendDue(long now) {
        long interval = config.queueCoalesce().toNanos();
        deferred.forEach((key, ticket) -> {
            Sent last = sent.get(key);
            if (last == null || now - last.atNanos() >= interval) {
                if (deferred.remove(key, ticket)) {
                    send(key, ticket, now);
                }
            }
        });
    }

    private void send(Key key, QueueTicket ticket, long now) {
        deferred.remove(key);
        sent.put(key, new Sent(ticket, now));
        sockets.deliver(key.shopperId(), ticket);
    }

    /** What a shopper is told about: the estimated wait alone moving is no news. */
    private static boolean sameNews(QueueTicket a, QueueTicket b) {
        return a.state() == b.state() && Objects.equals(a.position(), b.position())
                && Objects.equals(a.ahead(), b.ahead())
                && Objects.equals(a.admissionExpiresAt(), b.admissionExpiresAt())
                && Objects.equals(a.joinedAt(), b.joinedAt());
    }

    private Set<UUID> takeHeard() {
        Set<UUID> taken = new HashSet<>();
        for (UUID product : heard) {
            if (heard.remove(product)) {
                taken.add(product);
            }
        }
        return taken;
    }

    private record Key(UUID shopperId, UUID productId) {
    }

    private record Sent(QueueTicket ticket, long atNanos) {
    }
}

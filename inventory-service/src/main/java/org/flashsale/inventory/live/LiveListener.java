package org.flashsale.inventory.live;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;

import org.flashsale.inventory.live.admin.HoldMeter;
import org.flashsale.inventory.live.shopper.QueuePushes;
import org.flashsale.inventory.live.shopper.ShopperSocket;
import org.flashsale.inventory.live.stock.StockFeed;
import org.flashsale.inventory.live.stock.StockSubscribers;
import org.flashsale.live.LiveChannels;
import org.flashsale.live.LiveCodec;
import org.flashsale.live.LiveMessage;

/**
 * LISTENs to the live channel, so this instance hears every change made by any process (itself, other
 * inventory-service instances, expiry workers). The subscriber reconnects by itself; on every (re)connect the
 * watchers get a fresh snapshot, since changes made while we were away were not heard.
 */
@ApplicationScoped
public class LiveListener {

    private static final Logger LOG = Logger.getLogger(LiveListener.class);
    private static final Duration RESYNC_FIRST_RETRY = Duration.ofMillis(250);
    private static final Duration RESYNC_LAST_RETRY = Duration.ofSeconds(5);
    private static final int RESYNC_ATTEMPTS = 20;

    private final StockFeed feed;
    private final StockSubscribers stockSubscribers;
    private final ShopperSocket shopperSocket;
    private final QueuePushes queuePushes;
    private final HoldMeter holdMeter;
    private final PgSubscriber subscriber;
    /** Set when the application stops: the subscriber's own close is then expected, not news. */
    private volatile boolean stopping;

    public LiveListener(StockFeed feed, StockSubscribers stockSubscribers, ShopperSocket shopperSocket,
            QueuePushes queuePushes, HoldMeter holdMeter, Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.feed = feed;
        this.stockSubscribers = stockSubscribers;
        this.shopperSocket = shopperSocket;
        this.queuePushes = queuePushes;
        this.holdMeter = holdMeter;
        // The same server and credentials as the reactive pool (the standard datasource settings).
        PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""));
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        this.subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 500L);
    }

    void start(@Observes StartupEvent event) {
        subscriber.channel(LiveChannels.EVENTS)
                .handler(this::onPayload)
                .subscribeHandler(subscribed -> {
                    LOG.info("listening for live changes");
                    resync();
                });
        subscriber.closeHandler(closed -> {
            if (stopping) {
                LOG.debug("live listener closed (stopping)");
            } else {
                LOG.warn("live listener lost its connection; reconnecting");
            }
        });
        subscriber.connect().onFailure(e -> LOG.warnf("live listener could not connect yet: %s", e.getMessage()));
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        subscriber.close();
    }

    /**
     * Every watcher gets a fresh snapshot, and every queue that may have news is read again for the shoppers here.
     * Each read is retried (the database may still be coming back when the listener's own connection is), since a
     * resync that failed would leave clients with what they missed.
     */
    private void resync() {
        retried(stockSubscribers.resyncAll(), "resync");
        retried(queuePushes.resync(), "queue resync");
    }

    private static void retried(Uni<Void> read, String what) {
        read.onFailure().retry().withBackOff(RESYNC_FIRST_RETRY, RESYNC_LAST_RETRY).atMost(RESYNC_ATTEMPTS)
                .subscribe().with(ignored -> { }, e -> LOG.warnf("%s failed: %s", what, e.getMessage()));
    }

    private void onPayload(String payload) {
        LiveMessage message;
        try {
            message = LiveCodec.decode(payload);
        } catch (IllegalArgumentException e) {
            LOG.warnf("ignored a live message we do not understand: %s", e.getMessage());
            return;
        }
        if (message.resync()) {
            feed.clear();
            resync();
        }
        message.stock().forEach(feed::heard);
        message.holds().forEach(shopperSocket::deliver);
        message.holds().forEach(holdMeter::record);
        message.holds().forEach(queuePushes::heardHold);
        message.queues().forEach(queuePushes::heard);
        message.purchases().forEach(stockSubscribers::purchase);
    }
}

package org.flashsale.inventory.live.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.inventory.config.FlashSaleConfig;
import org.flashsale.inventory.live.shared.LiveConfig;
import org.flashsale.inventory.live.shared.Messages;
import org.flashsale.inventory.live.shared.Outbox;
import org.flashsale.inventory.product.Books;
import org.flashsale.inventory.product.ProductRepository;

/**
 * The operator's live figures, pushed to every {@code /ws/admin} connection once per tick
 * ({@code flashsale.live.dashboard-interval}): each product's books (available, held, sold: one {@code stock_books}
 * query per tick, only while an operator watches, which also counts each queued product's waiting room) and the hold
 * traffic this instance heard since the last tick ({@link HoldMeter}). A slow operator never makes the server queue: each connection has at most one message being
 * written, and only the newest figures wait behind it (each tick's figures supersede the last).
 */
@ApplicationScoped
public class Dashboard {

    private static final Logger LOG = Logger.getLogger(Dashboard.class);
    /** The one key of an operator's outbox: newer figures replace the ones waiting. */
    private static final Object FIGURES = "figures";

    /** What {@code /ws/admin} sends every tick, and {@code GET /api/admin/dashboard} answers. */
    @Schema(name = "Dashboard")
    @RegisterForReflection
    public record Figures(@Schema(examples = "dashboard") String type, Instant at, long intervalMillis,
            List<DashboardRow> products,
            @Schema(description = "Whether POST /api/admin/reset exists here (flashsale.demo.reset-enabled): the "
                    + "dashboard shows its reset button only then") boolean resetAvailable) {
    }

    private final Map<WebSocketConnection, Outbox> watchers = new ConcurrentHashMap<>();
    private final HoldMeter meter;
    private final ProductRepository products;
    private final Pool pool;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final LiveConfig config;
    private final boolean resetAvailable;
    private volatile long lastTick = System.nanoTime();
    private volatile Figures last;

    public Dashboard(HoldMeter meter, ProductRepository products, Pool pool, ObjectMapper json, Vertx vertx,
            LiveConfig config, FlashSaleConfig flashSale) {
        this.resetAvailable = flashSale.demo().resetEnabled();
        this.meter = meter;
        this.products = products;
        this.pool = pool;
        this.json = json;
        this.vertx = vertx;
        this.config = config;
    }

    void startTicking(@Observes StartupEvent event) {
        vertx.setPeriodic(config.dashboardInterval().toMillis(), id -> tick());
    }

    void open(WebSocketConnection connection) {
        Outbox outbox = new Outbox(connection, 1);
        watchers.put(connection, outbox);
        Figures figures = last;
        if (figures != null) {
            outbox.offer(FIGURES, encode(figures));
        }
    }

    void close(WebSocketConnection connection) {
        watchers.remove(connection);
    }

    /** The figures now: the books read fresh, the traffic of the last tick. */
    public Uni<Figures> now() {
        Figures figures = last;
        return products.books(pool).map(books -> withBooks(books, figures));
    }

    private void tick() {
        long now = System.nanoTime();
        double seconds = (now - lastTick) / 1e9;
        lastTick = now;
        Map<UUID, HoldMeter.Counts> counts = meter.take();
        if (watchers.isEmpty()) {
            last = null;
            return;
        }
        products.books(pool).subscribe().with(books -> {
            List<DashboardRow> rows = new ArrayList<>(books.size());
            for (Books b : books) {
                HoldMeter.Counts c = counts.getOrDefault(b.productId(), HoldMeter.Counts.NONE);
                rows.add(new DashboardRow(b.productId(), b.name(), b.total(), b.available(), b.held(), b.sold(),
                        round(c.created() / seconds), round(c.expired() / seconds),
                        c.expired() == 0 ? null : c.maxExpiryLagMillis(), DashboardQueue.of(b.queue())));
            }
            Figures figures = new Figures("dashboard", Instant.now(), Math.round(seconds * 1000), rows,
                    resetAvailable);
            last = figures;
            String message = encode(figures);
            watchers.values().forEach(outbox -> outbox.offer(FIGURES, message));
        }, failure -> LOG.debugf("dashboard tick skipped: %s", failure.getMessage()));
    }

    private Figures withBooks(List<Books> books, Figures traffic) {
        List<DashboardRow> rows = new ArrayList<>(books.size());
        for (Books b : books) {
            DashboardRow seen = traffic == null ? null : traffic.products().stream()
                    .filter(r -> r.productId().equals(b.productId())).findFirst().orElse(null);
            rows.add(new DashboardRow(b.productId(), b.name(), b.total(), b.available(), b.held(), b.sold(),
                    seen == null ? 0 : seen.createdPerSecond(), seen == null ? 0 : seen.expiredPerSecond(),
                    seen == null ? null : seen.expiryLagMillis(), DashboardQueue.of(b.queue())));
        }
        return new Figures("dashboard", Instant.now(), traffic == null ? 0 : traffic.intervalMillis(), rows,
                resetAvailable);
    }


    private String encode(Figures figures) {
        return Messages.encode(json, figures);
    }

    private static double round(double perSecond) {
        return Math.round(perSecond * 10) / 10.0;
    }
}

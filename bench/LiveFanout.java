import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;

/**
 * Many concurrent /ws/stock watchers on one instance; for every stock message each receives, the delay from the
 * change (the message's "at": the database time of the statement) to its arrival here.
 * Usage: java -cp VERTX_CLASSPATH bench/LiveFanout.java ws://localhost:18080/ws/stock CLIENTS SECONDS
 * (Vert.x's Netty-based client: the JDK's own WebSocket client costs more CPU than the server it measures.)
 * Prints READY once every client has its snapshot, then the figures after SECONDS.
 */
public class LiveFanout {

    static final AtomicLongArray MILLIS = new AtomicLongArray(60_001);
    static final AtomicLong STOCK_MESSAGES = new AtomicLong();
    static final AtomicLong SNAPSHOTS = new AtomicLong();
    static final AtomicLong FAILED = new AtomicLong();
    static final AtomicLong CLOSED = new AtomicLong();
    static volatile boolean measuring;

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int clients = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(clients));
        Semaphore connecting = new Semaphore(200);
        long started = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            connecting.acquire();
            client.connect(uri.getPort(), uri.getHost(), uri.getPath()).onComplete(result -> {
                connecting.release();
                if (result.failed()) {
                    if (FAILED.incrementAndGet() == 1) {
                        System.out.println("first failure: " + result.cause());
                    }
                    return;
                }
                result.result().textMessageHandler(LiveFanout::onMessage);
                result.result().closeHandler(closed -> CLOSED.incrementAndGet());
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (SNAPSHOTS.get() + FAILED.get() < clients && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        System.out.printf("connected %d of %d watchers in %.1f s (%d failed)%n", SNAPSHOTS.get(), clients,
                (System.nanoTime() - started) / 1e9, FAILED.get());
        System.out.println("READY");
        measuring = true;
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        measuring = false;
        long count = STOCK_MESSAGES.get();
        System.out.printf("stock messages received: %d (%.0f per second over %d watchers), closed by server: %d%n",
                count, count / (double) seconds, SNAPSHOTS.get(), CLOSED.get());
        System.out.printf("delivery latency from change to watcher: p50 %d ms, p99 %d ms, max %d ms%n",
                percentile(count, 0.50), percentile(count, 0.99), percentile(count, 1.0));
        System.exit(0);
    }

    static long percentile(long count, double p) {
        long wanted = Math.max(1, (long) Math.ceil(count * p));
        long seen = 0;
        for (int ms = 0; ms < MILLIS.length(); ms++) {
            seen += MILLIS.get(ms);
            if (seen >= wanted) {
                return ms;
            }
        }
        return -1;
    }

    static void onMessage(String message) {
        if (message.startsWith("{\"type\":\"snapshot\"")) {
            SNAPSHOTS.incrementAndGet();
        } else if (measuring && message.startsWith("{\"type\":\"stock\"")) {
            int at = message.indexOf("\"at\":\"") + 6;
            Instant changed = Instant.parse(message.substring(at, message.indexOf('"', at)));
            long millis = Math.max(0, Duration.between(changed, Instant.now()).toMillis());
            MILLIS.incrementAndGet((int) Math.min(millis, MILLIS.length() - 1));
            STOCK_MESSAGES.incrementAndGet();
        }
    }
}

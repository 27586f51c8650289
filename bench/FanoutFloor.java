import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;

/**
 * The floor of live fan-out on this machine: a bare Vert.x WebSocket server (no Quarkus, no database, no reserves)
 * that every 100 ms writes one batch frame of the same shape as /ws/stock's to every watcher, from each connection's
 * own event loop, the frame encoded once per tick and loop. What it costs per frame is what writing a frame to a
 * socket costs here (Netty, the kernel's loopback TCP), beside which bench/live-fanout.sh's figures are read, as the
 * reserve benches are read beside pgbench. While watchers are connecting (one connected within the last second) it
 * sends no frames, as the service sends none while nothing changes: its connect storms are a bare Vert.x upgrade's.
 * Usage: java -cp VERTX_CLASSPATH bench/FanoutFloor.java PORT PRODUCTS_FILE EVENT_LOOPS
 */
public class FanoutFloor {

    /** When the last watcher connected (System.nanoTime()). */
    static volatile long lastOpen;

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        List<String> products = Files.readAllLines(Path.of(args[1])).stream().filter(line -> !line.isBlank())
                .map(String::trim).toList();
        int loops = Integer.parseInt(args[2]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        vertx.deployVerticle(() -> new Loop(port, products), new DeploymentOptions().setInstances(loops))
                .toCompletionStage().toCompletableFuture().get();
        System.out.println("READY " + port);
    }

    /** One event loop's server and watchers (Vert.x spreads the accepted connections over the instances). */
    static final class Loop extends AbstractVerticle {
        private final int port;
        private final List<String> products;
        private final List<ServerWebSocket> watchers = new ArrayList<>();
        private long version;

        Loop(int port, List<String> products) {
            this.port = port;
            this.products = products;
        }

        @Override
        public void start() {
            vertx.setPeriodic(100, id -> tick());
            vertx.createHttpServer(new HttpServerOptions().setAcceptBacklog(65535)).webSocketHandler(ws -> {
                lastOpen = System.nanoTime();
                watchers.add(ws);
                ws.closeHandler(closed -> watchers.remove(ws));
                ws.writeTextMessage(snapshot());
            }).listen(port);
        }

        private void tick() {
            if (System.nanoTime() - lastOpen < 1_000_000_000L) {
                return; // a connect storm under way
            }
            version++;
            String now = Instant.now().toString();
            StringBuilder frame = new StringBuilder("{\"type\":\"batch\",\"stock\":[");
            for (int i = 0; i < products.size(); i++) {
                frame.append(i == 0 ? "" : ",").append(entry(products.get(i), version)).append(",\"at\":\"")
                        .append(now).append("\"}");
            }
            String encoded = frame.append("],\"purchases\":[],\"serverTime\":\"").append(now).append("\"}").toString();
            for (ServerWebSocket watcher : watchers) {
                if (!watcher.writeQueueFull()) { // a slow watcher skips this tick, as the service's does
                    watcher.writeTextMessage(encoded);
                }
            }
        }

        private String snapshot() {
            StringBuilder frame = new StringBuilder("{\"type\":\"snapshot\",\"products\":[");
            for (int i = 0; i < products.size(); i++) {
                frame.append(i == 0 ? "" : ",").append(entry(products.get(i), version)).append("}");
            }
            return frame.append("],\"serverTime\":\"").append(Instant.now()).append("\"}").toString();
        }

        private static String entry(String product, long version) {
            return "{\"productId\":\"" + product + "\",\"availableStock\":1000,\"totalStock\":1000,\"version\":"
                    + version;
        }
    }
}

package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Behind the balancer the app sees each client's own address, and nobody can choose it: HAProxy replaces whatever
 * X-Forwarded-For a client sends with the address it came from, and the app takes X-Forwarded-For only from the
 * balancer (quarkus.http.proxy.trusted-proxies). Seen through the app's own per-address limit on new shoppers (a
 * bucket of 5): clients on 127.0.0.2 and 127.0.0.3 have a bucket each through the balancer, a spoofed header does not
 * buy a fresh one, and a client reaching the app directly cannot name another address either.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BalancerForwardedForTest {

    private static final int BUCKET = 5;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private Database database;
    private App app;

    @BeforeAll
    void start() throws Exception {
        database = new Database();
        Map<String, String> env = new HashMap<>(database.appEnvironment());
        env.putAll(BalancerRollingRestartTest.behindTheBalancer());
        env.put("FLASHSALE_RATE_LIMIT_ENABLED", "true");
        env.put("FLASHSALE_RATE_LIMIT_SHOPPERS_PER_ADDRESS", "0.1");
        env.put("FLASHSALE_RATE_LIMIT_BURST_SECONDS", "50");
        app = App.inventoryService("forwarded-inventory", env);
    }

    @AfterAll
    void stop() throws Exception {
        app.close();
        database.close();
    }

    @Test
    void theAppSeesEachClientsOwnAddressAndASpoofedHeaderChangesNothing() throws Exception {
        try (Balancer balancer = Balancer.start(List.of(app), Map.of("BALANCER_SHOPPERS_PER_ADDRESS", "1000"))) {
            Http api = new Http(balancer.baseUrl());
            Awaitility.await().atMost(WAIT).until(() -> api.get("/api/products").status() == 200);
            int port = balancer.port;

            assertEquals(bucketThenRefused(), newShoppers("127.0.0.2", port, null, BUCKET + 1),
                    "127.0.0.2 has a bucket of its own at the app");
            assertEquals(List.of(429), newShoppers("127.0.0.2", port, "10.0.0.9", 1),
                    "a spoofed X-Forwarded-For is replaced by the balancer: still 127.0.0.2's empty bucket");
            assertEquals(List.of(201), newShoppers("127.0.0.3", port, null, 1),
                    "127.0.0.3 is another client to the app, not the balancer's one address");

            assertEquals(bucketThenRefused(), newShoppers("127.0.0.4", app.port, "10.0.0.1", BUCKET + 1),
                    "straight to the app: its bucket is the peer's");
            assertEquals(List.of(429), newShoppers("127.0.0.4", app.port, "10.0.0.2", 1),
                    "X-Forwarded-For from anyone but the balancer is ignored");
        }
    }

    private static List<Integer> bucketThenRefused() {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < BUCKET; i++) {
            statuses.add(201);
        }
        statuses.add(429);
        return statuses;
    }

    /** POST /api/shoppers from a client on {@code from} (one connection each), with the given X-Forwarded-For. */
    private static List<Integer> newShoppers(String from, int port, String forwardedFor, int count) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try (Socket socket = new Socket()) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /api/shoppers HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n"
                        + (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n") + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                statuses.add(Integer.parseInt(statusLine.split(" ")[1]));
            }
        }
        return statuses;
    }
}

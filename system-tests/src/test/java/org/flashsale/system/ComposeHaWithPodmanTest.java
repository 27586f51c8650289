package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import org.flashsale.system.Http.Reply;
import org.flashsale.system.Http.Shopper;

/**
 * docker-compose.ha.yml for real, with podman: 3 etcd, 2 Patroni-run PostgreSQL nodes and HAProxy on the images
 * podman/images.sh makes from Debian packages, the shop's images built from our Dockerfiles. The topology comes up
 * with a synchronous standby, a primary takes writes through HAProxy, the shop answers a reserve, and a
 * {@code patronictl switchover} run inside a node's container moves the primary while shoppers keep reserving and
 * paying: every answer is a 2xx, a domain 409 or a 503 with Retry-After, writes come back, every hold answered 2xx is
 * stored as answered, and the books balance. {@code down} leaves nothing behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeHaWithPodmanTest {

    private static final String PROJECT = "flashsale-compose-ha-test";
    private static final String FILE = "docker-compose.ha.yml";
    private static final String PATRONI_CONFIG = "/var/lib/postgresql/node/patroni.yml";
    private static final Duration START = Duration.ofMinutes(3);
    private static final List<String> SERVICES = List.of("create-database", "etcd1", "etcd2", "etcd3", "expiry-worker",
            "haproxy", "inventory-service", "pg1", "pg2");
    private static final int SHOPPERS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int shopPort = freePort();
    private final int databasePort = freePort();
    private Podman podman;
    private Http api;
    private Database database;

    /** Every hold answered 2xx, with the state it was last answered with. */
    private final Map<UUID, String> ledger = new ConcurrentHashMap<>();
    /** Holds whose complete got no definite answer (a 503): either state is right. */
    private final Set<UUID> uncertain = ConcurrentHashMap.newKeySet();
    private final List<String> wrongAnswers = new CopyOnWriteArrayList<>();
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger unavailable = new AtomicInteger();

    @BeforeAll
    void up() {
        assumeTrue(Podman.canRun(), "podman is not installed and cannot be installed here (that needs root and "
                + "apt-get): the HA images and docker-compose.ha.yml are not run");
        podman = new Podman(Map.of(
                "JRE_IMAGE", Podman.JRE_IMAGE,
                "HAPROXY_IMAGE", Podman.HAPROXY_IMAGE,
                "PATRONI_IMAGE", Podman.PATRONI_IMAGE,
                "ETCD_IMAGE", Podman.ETCD_IMAGE,
                "SHOP_PORT", Integer.toString(shopPort),
                "HA_DB_PORT", Integer.toString(databasePort),
                "FLASHSALE_TOKEN_SECRET", App.TOKEN_SECRET,
                "FLASHSALE_ADMIN_KEY", App.ADMIN_KEY,
                // The shoppers all come from this one address.
                "FLASHSALE_RATE_LIMIT_ENABLED", "false"));
        podman.prepare();
        removeProject();
        compose("up", "-d", "--build");
        for (String service : SERVICES) {
            if (!service.equals("create-database")) {
                awaitHealthy(container(service));
            }
        }
        api = new Http("http://localhost:" + shopPort, Duration.ofSeconds(20));
        database = Database.at("jdbc:postgresql://127.0.0.1:" + databasePort + "/flashsale");
    }

    @AfterAll
    void removeLeftovers() {
        if (podman != null) {
            removeProject();
            podman.run(Duration.ofMinutes(1), "podman", "rmi", "-f", appImage("inventory-service"),
                    appImage("expiry-worker"));
        }
    }

    @Test
    @Order(1)
    void theTopologyComesUpWithAPrimaryTakingWritesThroughHaproxyAndASynchronousStandby() {
        assertEquals(SERVICES.stream().map(this::container).toList(), containers(), "every service");
        assertEquals("0", podman.ok(Duration.ofSeconds(30), "podman", "inspect", "--format", "{{.State.ExitCode}}",
                container("create-database")).strip(), "database flashsale created");
        Awaitility.await("a leader and a synchronous standby").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> roles().values().stream().sorted().toList().equals(List.of("Leader", "Sync Standby")));
        // Through HAProxy's primary port (published on 127.0.0.1): the primary, writable, with its sync standby.
        assertEquals(0, database.count("SELECT pg_is_in_recovery()::int"), "the primary port reaches the primary");
        database.execute("CREATE TABLE ha_probe (x int); INSERT INTO ha_probe VALUES (1); DROP TABLE ha_probe");
        assertEquals(1, database.count("SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'"));
        // The replica frontend, from inside the compose network: the standby.
        assertEquals("t", exec(container("pg1"), "psql", "-X", "-A", "-t", "-h", "haproxy", "-p", "5433", "-U",
                "postgres", "-c", "SELECT pg_is_in_recovery()").strip(), "the replica port reaches the standby");
    }

    @Test
    @Order(2)
    void theShopAnswersAReserveOnThePrimary() {
        UUID product = api.newProduct(5);
        Shopper shopper = api.newShopper();
        Reply hold = api.reserve(shopper, product, 2).join();
        assertEquals(201, hold.status(), hold.toString());
        Reply paid = api.post("/api/reservations/" + hold.body().get("id").asText() + "/complete", shopper.token(), "");
        assertEquals(200, paid.status(), paid.toString());
        assertEquals(3, api.get("/api/products/" + product).body().get("availableStock").asInt());
        database.books().assertBalanced();
    }

    @Test
    @Order(3)
    void aSwitchoverMovesThePrimaryAndTheShopKeepsAnswering() throws Exception {
        UUID product = api.newProduct(1_000_000);
        Map<String, String> before = roles();
        String leader = withRole(before, "Leader");
        String standby = withRole(before, "Sync Standby");
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> shoppers = new ArrayList<>();
        for (int i = 0; i < SHOPPERS; i++) {
            Shopper shopper = api.newShopper();
            Thread thread = new Thread(() -> shop(shopper, product, running), "shopper-" + i);
            thread.start();
            shoppers.add(thread);
        }
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> served.get() >= 20);
            String out = exec(container(standby), "patronictl", "-c", PATRONI_CONFIG, "switchover",
                    "--candidate", standby, "--force");
            System.out.println(out);
            Awaitility.await("the old standby leads, the old leader is its synchronous standby")
                    .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> roles().equals(Map.of(standby, "Leader", leader, "Sync Standby")));
            int servedAtTheMove = served.get();
            Awaitility.await("reserves and payments served on the new primary").atMost(Duration.ofSeconds(60))
                    .until(() -> served.get() >= servedAtTheMove + 20);
        } finally {
            running.set(false);
            for (Thread shopper : shoppers) {
                shopper.join(30_000);
            }
        }
        System.out.printf("switchover %s -> %s: %d answers served, %d answered 503 with Retry-After%n", leader, standby,
                served.get(), unavailable.get());
        assertEquals(List.of(), wrongAnswers, "every answer a 2xx, a domain 409 or a 503 with Retry-After");
        assertEquals(0, database.count("SELECT pg_is_in_recovery()::int"), "HAProxy's primary port follows the move");

        Map<UUID, String> stored = database.holdStatuses();
        List<String> missing = new ArrayList<>();
        ledger.forEach((hold, state) -> {
            String actual = stored.get(hold);
            if (actual == null || !(actual.equals(state) || uncertain.contains(hold))) {
                missing.add(hold + ": answered " + state + ", stored " + actual);
            }
        });
        assertEquals(List.of(), missing, "every hold answered 2xx is in the database as answered");
        database.books().assertBalanced();
        Awaitility.await("both apps ready again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> healthcheck(container("inventory-service")) == 0
                        && healthcheck(container("expiry-worker")) == 0);
    }

    @Test
    @Order(4)
    void downLeavesNothingRunning() {
        compose("down", "-v");
        assertEquals(List.of(), podman.namesInProject("container", PROJECT), "containers");
        assertEquals(List.of(), podman.namesInProject("pod", PROJECT), "pods");
        assertEquals(List.of(), podman.namesInProject("volume", PROJECT), "volumes");
        // podman-compose 1.0.3's down keeps the project's network (later versions remove it): we remove it.
        podman.ok(Duration.ofSeconds(30), "podman", "network", "rm", "-f", PROJECT + "_default");
        assertEquals(List.of(), podman.namesInProject("network", PROJECT), "networks");
    }

    /** One shopper: reserve one unit, pay for it, again, until told to stop; every answer checked and ledgered. */
    private void shop(Shopper shopper, UUID product, AtomicBoolean running) {
        while (running.get()) {
            Reply hold = api.reserve(shopper, product, 1).join();
            if (!acceptable(hold, "reserve")) {
                continue;
            }
            if (hold.status() != 201 && hold.status() != 200) {
                App.sleep(Duration.ofMillis(200));
                continue;
            }
            UUID id = UUID.fromString(hold.body().get("id").asText());
            ledger.put(id, "ACTIVE");
            Reply paid = api.post("/api/reservations/" + id + "/complete", shopper.token(), "");
            if (acceptable(paid, "complete") && paid.status() == 200) {
                ledger.put(id, "COMPLETED");
                served.incrementAndGet();
            } else {
                uncertain.add(id);
                App.sleep(Duration.ofMillis(200));
            }
        }
    }

    private boolean acceptable(Reply reply, String what) {
        int status = reply.status();
        if (status == 503 && reply.retryAfter() != null) {
            unavailable.incrementAndGet();
            return true;
        }
        if (status / 100 == 2 || status == 409) {
            return true;
        }
        wrongAnswers.add(what + ": " + reply);
        return false;
    }

    /** Each member's role as patronictl reports it ("Leader", "Sync Standby", "Replica"), asked inside pg1. */
    private Map<String, String> roles() throws IOException {
        JsonNode members = JSON.readTree(exec(container("pg1"), "patronictl", "-c", PATRONI_CONFIG, "list", "-f",
                "json"));
        Map<String, String> roles = new HashMap<>();
        members.forEach(m -> {
            if ("running".equals(m.path("State").asText()) || "streaming".equals(m.path("State").asText())) {
                roles.put(m.get("Member").asText(), m.get("Role").asText());
            }
        });
        return roles;
    }

    private static String withRole(Map<String, String> roles, String role) {
        return roles.entrySet().stream().filter(e -> e.getValue().equals(role)).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + role + " in " + roles));
    }

    private String compose(String... arguments) {
        List<String> command = new ArrayList<>(List.of("podman-compose", "-p", PROJECT, "-f", FILE));
        command.addAll(List.of(arguments));
        return podman.ok(Duration.ofMinutes(5), command.toArray(String[]::new));
    }

    private void removeProject() {
        podman.run(Duration.ofMinutes(2), "podman-compose", "-p", PROJECT, "-f", FILE, "down", "-v");
        podman.run(Duration.ofSeconds(30), "podman", "network", "rm", "-f", PROJECT + "_default");
    }

    /** Runs the compose healthcheck now (podman schedules healthchecks with systemd timers, absent here). */
    private int healthcheck(String container) {
        return podman.run(Duration.ofSeconds(30), "podman", "healthcheck", "run", container).exitCode();
    }

    private void awaitHealthy(String container) {
        Awaitility.await(container + " healthy").atMost(START).pollInterval(Duration.ofSeconds(1))
                .until(() -> healthcheck(container) == 0);
    }

    private String exec(String container, String... command) {
        List<String> full = new ArrayList<>(List.of("podman", "exec", container));
        full.addAll(List.of(command));
        return podman.ok(Duration.ofSeconds(90), full.toArray(String[]::new));
    }

    private List<String> containers() {
        return podman.namesInProject("container", PROJECT).stream().sorted().toList();
    }

    private String container(String service) {
        return PROJECT + "_" + service + "_1";
    }

    private static String appImage(String module) {
        return "localhost/" + PROJECT + "_" + module;
    }

    /** A free port of 17000-17999 (this test's range, apart from the other podman and HA tests'). */
    private static int freePort() {
        for (int tries = 0; tries < 200; tries++) {
            int port = 17_000 + ThreadLocalRandom.current().nextInt(1_000);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port in 17000-17999");
    }
}

package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * The images and the compose file for real: podman builds both apps' images from our Dockerfiles on a JRE image made
 * from Debian packages, and podman-compose runs our docker-compose.yml with a PostgreSQL image made the same way. The
 * shop answers on its published port, a shopper reserves and pays through it (the app reaching PostgreSQL over the
 * compose network), both expiry-worker replicas are healthy and expire holds exactly once between them, and
 * {@code down} leaves nothing behind. The figures (image sizes, start-up, RSS) go to target/system-tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeWithPodmanTest {

    private static final String PROJECT = "flashsale-compose-test";
    private static final Duration START = Duration.ofMinutes(3);
    private static final String EXPIRED = "flashsale_expiry_holds_expired_total";

    private final int shopPort = freePort();
    private Podman podman;
    private Http api;
    private Duration startUp;

    @BeforeAll
    void up() {
        assumeTrue(Podman.canRun(), "podman is not installed and cannot be installed here (that needs root and "
                + "apt-get): the container images and docker-compose.yml are not run");
        podman = new Podman(Map.of(
                "JRE_IMAGE", Podman.JRE_IMAGE,
                "POSTGRES_IMAGE", Podman.POSTGRES_IMAGE,
                "HAPROXY_IMAGE", Podman.HAPROXY_IMAGE,
                "SHOP_PORT", Integer.toString(shopPort),
                "FLASHSALE_TOKEN_SECRET", App.TOKEN_SECRET,
                "FLASHSALE_ADMIN_KEY", App.ADMIN_KEY,
                "FLASHSALE_HOLD_TTL", "4s"));
        podman.prepare();
        removeProject();
        long started = System.nanoTime();
        compose("up", "-d", "--build");
        for (String container : containers()) {
            awaitHealthy(container);
        }
        startUp = Duration.ofNanos(System.nanoTime() - started);
        api = new Http("http://localhost:" + shopPort);
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
    void theShopAnswersOnItsPortWithItsOpenApiDocumentAndIsReady() {
        assertEquals(List.of(PROJECT + "_balancer_1", PROJECT + "_expiry-worker_1", PROJECT + "_expiry-worker_2",
                PROJECT + "_inventory-service_1", PROJECT + "_inventory-service_2", PROJECT + "_inventory-service_3",
                PROJECT + "_postgres_1"), containers(), "every service, all healthy");
        assertTrue(api.getText("/q/openapi").contains("Flash-sale inventory API"), "the OpenAPI document");
        // Health and metrics are on the management port (9000), inside the compose network only.
        String inventory = PROJECT + "_inventory-service_1";
        assertTrue(exec(inventory, "curl", "-fs", "http://localhost:9000/q/health/ready").contains("\"UP\""));
        assertTrue(exec(inventory, "curl", "-fs", "http://localhost:9000/q/metrics").contains("jvm_"));
        assertEquals(404, api.get("/q/health/ready").status(), "not on the public port");
        assertEquals(404, api.get("/q/metrics").status(), "not on the public port");
        assertTrue(api.getText("/").contains("<html"), "the shopper's page");
        assertEquals(8, api.get("/api/products").body().size(), "the demo catalogue, seeded in the database");
    }

    @Test
    @Order(2)
    void aShopperReservesAndPaysThroughTheContainers() {
        UUID product = api.newProduct(5);
        Shopper shopper = api.newShopper();
        Reply hold = api.reserve(shopper, product, 2).join();
        assertEquals(201, hold.status(), hold.toString());
        Reply paid = api.post("/api/reservations/" + hold.body().get("id").asText() + "/complete", shopper.token(), "");
        assertEquals(200, paid.status(), paid.toString());
        assertEquals("COMPLETED", paid.body().get("status").asText());
        assertEquals(2_000, paid.body().get("amountCents").asInt());
        assertEquals(3, availableStock(product));
        String fromAWorker = exec(worker(1), "curl", "-fs", "http://inventory-service:8080/api/products/" + product);
        assertTrue(fromAWorker.contains("\"availableStock\":3"), "the service by its name on the compose network");
    }

    @Test
    @Order(3)
    void bothWorkerReplicasAreHealthyAndExpireEachHoldExactlyOnce() {
        assertEquals(2, containersOf("expiry-worker").size(), "two replicas");
        containersOf("expiry-worker").forEach(worker -> assertEquals(0, healthcheck(worker)));
        double expiredBefore = expiredByWorkers();
        Shopper shopper = api.newShopper();
        List<UUID> products = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            UUID product = api.newProduct(4);
            assertEquals(201, api.reserve(shopper, product, 3).join().status());
            products.add(product);
        }

        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> products.stream().allMatch(p -> availableStock(p) == 4));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> expiredByWorkers() - expiredBefore >= 10);
        App.sleep(Duration.ofSeconds(2));
        assertEquals(10, expiredByWorkers() - expiredBefore, "each hold expired by exactly one replica");
        products.forEach(p -> assertEquals(4, availableStock(p), "each unit came back exactly once"));
    }

    @Test
    @Order(4)
    void theBalancerSpreadsRequestsOverTheThreeReplicasItFindsByName() {
        assertEquals(3, containersOf("inventory-service").size(), "three replicas");
        // Requests without a token go round robin; each replica is in the balancer once HAProxy found it by name
        // and its health check passed.
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            for (int i = 0; i < 12; i++) {
                assertEquals(200, api.get("/api/products").status());
            }
            return containersOf("inventory-service").stream().allMatch(replica -> productListsServed(replica) > 0);
        });
    }

    @Test
    @Order(5)
    void theImagesAreMeasured() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("compose up --build until every container is healthy: " + startUp.toMillis() + " ms");
        lines.add("image " + Podman.JRE_IMAGE + ": " + imageSize(Podman.JRE_IMAGE));
        lines.add("image " + Podman.POSTGRES_IMAGE + ": " + imageSize(Podman.POSTGRES_IMAGE));
        lines.add("image " + Podman.HAPROXY_IMAGE + ": " + imageSize(Podman.HAPROXY_IMAGE));
        for (String module : List.of("inventory-service", "expiry-worker")) {
            lines.add("image " + module + ": " + imageSize(appImage(module)));
        }
        for (String container : containers()) {
            String log = podman.ok(Duration.ofSeconds(30), "podman", "logs", container);
            Matcher started = Pattern.compile("started in ([0-9.]+s)").matcher(log);
            lines.add(container + ": RSS " + memoryMiB(container, "VmRSS:", "status") + " MiB, PSS "
                    + memoryMiB(container, "Pss:", "smaps_rollup") + " MiB"
                    + (started.find() ? ", Quarkus started in " + started.group(1) : ""));
        }
        for (String module : List.of("inventory-service", "expiry-worker")) {
            assertEquals("185", exec(containersOf(module).get(0), "id", "-u").strip(), "the app does not run as root");
        }
        Path figures = App.ROOT.resolve("system-tests/target/system-tests/containers.txt");
        Files.write(figures, lines);
        lines.forEach(System.out::println);
    }

    @Test
    @Order(6)
    void downLeavesNothingRunning() {
        compose("down", "-v");
        assertEquals(List.of(), podman.namesInProject("container", PROJECT), "containers");
        assertEquals(List.of(), podman.namesInProject("pod", PROJECT), "pods");
        assertEquals(List.of(), podman.namesInProject("volume", PROJECT), "volumes");
        // podman-compose 1.0.3's down keeps the project's network (later versions remove it): we remove it.
        podman.ok(Duration.ofSeconds(30), "podman", "network", "rm", "-f", PROJECT + "_default");
        assertEquals(List.of(), podman.namesInProject("network", PROJECT), "networks");
    }

    private String compose(String... arguments) {
        List<String> command = new ArrayList<>(List.of("podman-compose", "-p", PROJECT, "-f", "docker-compose.yml"));
        command.addAll(List.of(arguments));
        return podman.ok(Duration.ofMinutes(5), command.toArray(String[]::new));
    }

    private void removeProject() {
        podman.run(Duration.ofMinutes(2), "podman-compose", "-p", PROJECT, "-f", "docker-compose.yml", "down", "-v");
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

    private int availableStock(UUID product) {
        return api.get("/api/products/" + product).body().get("availableStock").asInt();
    }

    /** GET /api/products answered by the replica (its request metrics, on its management port). */
    private double productListsServed(String replica) {
        return exec(replica, "curl", "-fs", "http://localhost:9000/q/metrics").lines()
                .filter(line -> line.startsWith("http_server_requests_seconds_count{") && line.contains("method=\"GET\"")
                        && line.contains("uri=\"/api/products\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private double expiredByWorkers() {
        return containersOf("expiry-worker").stream()
                .mapToDouble(w -> Metrics.valueIn(exec(w, "curl", "-fs", "http://localhost:8081/q/metrics"), EXPIRED))
                .sum();
    }

    private String exec(String container, String... command) {
        List<String> full = new ArrayList<>(List.of("podman", "exec", container));
        full.addAll(List.of(command));
        return podman.ok(Duration.ofSeconds(30), full.toArray(String[]::new));
    }

    private List<String> containers() {
        return podman.namesInProject("container", PROJECT).stream().sorted().toList();
    }

    private List<String> containersOf(String service) {
        return containers().stream().filter(name -> name.startsWith(PROJECT + "_" + service + "_")).toList();
    }

    private String worker(int number) {
        return PROJECT + "_expiry-worker_" + number;
    }

    private static String appImage(String module) {
        return "localhost/" + PROJECT + "_" + module;
    }

    private String imageSize(String image) {
        long bytes = Long.parseLong(podman.ok(Duration.ofSeconds(30), "podman", "image", "inspect", "--format",
                "{{.Size}}", image).strip());
        return bytes / 1_000_000 + " MB";
    }

    /**
     * One figure of /proc/PID/{@code file} summed over the container's processes: RSS counts PostgreSQL's shared
     * buffers once per process, PSS shares them out.
     */
    private long memoryMiB(String container, String field, String file) throws IOException {
        long kib = 0;
        for (String pid : podman.ok(Duration.ofSeconds(30), "podman", "top", container, "hpid").lines().skip(1)
                .map(String::strip).filter(p -> !p.isEmpty()).toList()) {
            Path figures = Path.of("/proc", pid, file);
            for (String line : Files.exists(figures) ? Files.readAllLines(figures) : List.<String>of()) {
                if (line.startsWith(field)) {
                    kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        }
        return kib / 1024;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.flashsale.system;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One of our packaged apps, running as its own process (java -jar), with its log in target/system-tests. */
final class App implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("flashsale.root", "..")).toAbsolutePath().normalize();
    static final String TOKEN_SECRET = "system-test-token-secret-0123456789abcdef";
    static final String ADMIN_KEY = "system-test-admin-key";

    final String name;
    final int port;
    /** The port of health and metrics: inventory-service's management interface; the worker's {@link #port}. */
    final int managementPort;
    final Process process;
    final Path log;

    private App(String name, int port, int managementPort, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
        this.log = log;
    }

    static App inventoryService(String name, Map<String, String> env) {
        return start(name, "inventory-service", env);
    }

    static App expiryWorker(String name, Map<String, String> env) {
        return start(name, "expiry-worker", env);
    }

    /** The prod profile's required settings. */
    static Map<String, String> secrets() {
        return Map.of("FLASHSALE_TOKEN_SECRET", TOKEN_SECRET, "FLASHSALE_ADMIN_KEY", ADMIN_KEY);
    }

    /** An inventory-service on the given ports: one started again where the balancer expects it. */
    static App inventoryService(String name, Map<String, String> env, int port, int managementPort) {
        Map<String, String> withPorts = new HashMap<>(env);
        withPorts.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        withPorts.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        return start(name, "inventory-service", withPorts);
    }

    /** Starts the app and waits until it listens; fails with its log when it does not. */
    static App start(String name, String module, Map<String, String> env) {
        App app = launch(name, module, env);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!app.logContains("Listening on")) {
            if (!app.process.isAlive() || System.nanoTime() > deadline) {
                app.close();
                throw new IllegalStateException(name + " did not start:\n" + app.logText());
            }
            sleep(Duration.ofMillis(100));
        }
        return app;
    }

    /** Starts the app without waiting for it (for start-ups that are meant to fail). */
    static App launch(String name, String module, Map<String, String> env) {
        try {
            int port = env.containsKey("QUARKUS_HTTP_PORT") ? Integer.parseInt(env.get("QUARKUS_HTTP_PORT")) : freePort();
            int managementPort = !module.equals("inventory-service") ? port
                    : env.containsKey("QUARKUS_MANAGEMENT_PORT") ? Integer.parseInt(env.get("QUARKUS_MANAGEMENT_PORT"))
                    : freePort();
            Path jar = ROOT.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
            Path log = ROOT.resolve("system-tests/target/system-tests").resolve(name + ".log");
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(List.of("java", "-Xmx512m", "-jar", jar.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> environment = new HashMap<>(env);
            environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            if (managementPort != port) {
                environment.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
            }
            builder.environment().putAll(environment);
            return new App(name, port, managementPort, builder.start(), log);
        } catch (IOException e) {
            throw new IllegalStateException("could not launch " + name, e);
        }
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    /** Where health and metrics are: the management interface (inventory-service) or the app's port (the worker). */
    String managementUrl() {
        return "http://localhost:" + managementPort;
    }

    /** SIGTERM, as an orchestrator stops an instance: its graceful shutdown runs; does not wait for the end. */
    void terminate() {
        process.destroy();
    }

    /** kill -9: no shutdown hook, no goodbye. */
    void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean logContains(String text) {
        return logText().contains(text);
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        process.destroy();
        if (!waitFor(Duration.ofSeconds(20))) {
            kill();
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

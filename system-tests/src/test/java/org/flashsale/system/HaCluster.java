package org.flashsale.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The highly available database as ha/cluster.sh runs it (3 etcd, 2 Patroni-run PostgreSQL nodes, HAProxy), with its
 * data and logs under system-tests/target. Its HA_PORT is one of the slots of 15400-15999 (every port the cluster uses
 * is HA_PORT + 0..49), held by a file lock for the cluster's life, so two test runs never take the same ports.
 */
final class HaCluster implements AutoCloseable {

    private static final int FIRST_PORT = 15400;
    private static final int SLOTS = 12;
    private static final int SLOT_WIDTH = 50;
    private static final Path SCRIPT = App.ROOT.resolve("ha/cluster.sh");

    /** One line of {@code ha/cluster.sh status}. */
    record Node(String name, String role, long patroniPid, long postgresPid) {
    }

    final int port;
    final Path data;
    private final FileChannel lockFile;
    private final FileLock lock;

    private HaCluster(int port, FileChannel lockFile, FileLock lock) throws IOException {
        this.port = port;
        this.lockFile = lockFile;
        this.lock = lock;
        this.data = App.ROOT.resolve("system-tests/target/ha").resolve(port + "-" + System.currentTimeMillis());
        Files.createDirectories(data);
    }

    /** Starts a fresh cluster and returns once its primary takes writes and a synchronous standby is attached. */
    static HaCluster start() throws IOException {
        HaCluster cluster = claimSlot();
        try {
            cluster.run(Duration.ofMinutes(4), "start");
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Starts whatever of the cluster is not running (a killed node's Patroni) and waits as start does. */
    void startMissing() {
        run(Duration.ofMinutes(4), "start");
    }

    List<Node> status() {
        List<Node> nodes = new ArrayList<>();
        for (String line : run(Duration.ofSeconds(30), "status").strip().split("\n")) {
            String[] f = line.strip().split(" ");
            nodes.add(new Node(f[0], f[1], pid(f[2]), pid(f[3])));
        }
        return nodes;
    }

    Node withRole(String role) {
        return status().stream().filter(n -> n.role().equals(role)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + role + " in " + status()));
    }

    /** A planned switchover to the synchronous standby, as an operator does it. */
    String switchover() {
        Node standby = withRole("sync_standby");
        return exec(Duration.ofSeconds(90), List.of("patronictl", "-c", data.resolve(standby.name() + "/patroni.yml")
                .toString(), "switchover", "--candidate", standby.name(), "--force"));
    }

    /** The datasource settings both apps take: HAProxy's primary port, nothing else. */
    Map<String, String> datasourceEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:" + port + "/flashsale");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "");
        return env;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/flashsale";
    }

    static void kill9(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() {
        try {
            run(Duration.ofMinutes(2), "stop");
        } finally {
            try {
                lock.release();
                lockFile.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private String run(Duration timeout, String command) {
        return exec(timeout, List.of(SCRIPT.toString(), command));
    }

    private String exec(Duration timeout, List<String> command) {
        try {
            Path output = Files.createTempFile(data, "cmd", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).directory(App.ROOT.toFile());
            builder.environment().put("HA_PORT", Integer.toString(port));
            builder.environment().put("HA_DATA", data.toString());
            Process process = builder.start();
            boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String text = Files.readString(output);
            Files.delete(output);
            if (!ended) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not end within " + timeout + ":\n" + text);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command + " failed (" + process.exitValue() + "):\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long pid(String field) {
        return field.equals("-") ? -1 : Long.parseLong(field);
    }

    /** The first slot whose lock is free and whose ports nobody listens on. */
    private static HaCluster claimSlot() throws IOException {
        for (int slot = 0; slot < SLOTS; slot++) {
            int port = FIRST_PORT + slot * SLOT_WIDTH;
            FileChannel file = FileChannel.open(Path.of(System.getProperty("java.io.tmpdir"),
                    "flashsale-ha-" + port + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = file.tryLock();
            if (lock != null && portsFree(port)) {
                return new HaCluster(port, file, lock);
            }
            if (lock != null) {
                lock.release();
            }
            file.close();
        }
        throw new IllegalStateException("no free HA_PORT slot in 15400-15999");
    }

    private static boolean portsFree(int base) {
        for (int offset : new int[] { 0, 1, 10, 11, 20, 21, 30, 31, 32, 40, 41, 42 }) {
            try (ServerSocket socket = new ServerSocket(base + offset, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}

package org.flashsale.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The real HAProxy in front of instances, started and stopped with deploy/balancer.sh (the configuration is
 * deploy/haproxy.cfg, as in the compose file). It listens on a free port of 16000-16999 on 127.0.0.1.
 */
final class Balancer implements AutoCloseable {

    private static final Path SCRIPT = App.ROOT.resolve("deploy/balancer.sh");

    final int port;
    private final Path runDir;
    private final Map<String, String> env;

    private Balancer(int port, Path runDir, Map<String, String> env) {
        this.port = port;
        this.runDir = runDir;
        this.env = env;
    }

    /** HAProxy in front of the instances (health checked on their management ports); {@code env}: BALANCER_* limits. */
    static Balancer start(List<App> instances, Map<String, String> env) throws Exception {
        Path runDir = Files.createTempDirectory("flashsale-balancer");
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString(), "start", "0"));
        for (App instance : instances) {
            command.add("127.0.0.1:" + instance.port + "@" + instance.managementPort);
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = freePortInRange();
            command.set(2, Integer.toString(port));
            Balancer balancer = new Balancer(port, runDir, env);
            String output = balancer.run(command);
            if (output == null) {
                return balancer;
            }
            if (!output.contains("cannot bind") && !output.contains("Address already in use")) {
                throw new IllegalStateException("deploy/balancer.sh start failed:\n" + output);
            }
        }
        throw new IllegalStateException("no free port for the balancer in 16000-16999");
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        String output = run(List.of(SCRIPT.toString(), "stop", Integer.toString(port)));
        try (var paths = Files.walk(runDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        if (output != null) {
            throw new IllegalStateException("deploy/balancer.sh stop failed:\n" + output);
        }
    }

    /** Runs the script; null when it succeeded, else what it printed. */
    private String run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("BALANCER_RUN_DIR", runDir.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "timed out:\n" + output;
        }
        return process.exitValue() == 0 ? null : output;
    }

    private static int freePortInRange() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = 16000 + ThreadLocalRandom.current().nextInt(1000);
            try (ServerSocket socket = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                return candidate;
            } catch (IOException taken) {
                // another run's, or the other helper's: try another
            }
        }
        throw new IOException("no free port in 16000-16999");
    }
}

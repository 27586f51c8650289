package org.flashsale.system;

import java.io.IOException;
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
 * podman and podman-compose as this machine runs them: with the settings podman/images.sh writes (runc, rlimits within
 * the hard limits) and the base images it makes from Debian packages. Every command and its output goes to
 * target/system-tests/podman.log.
 */
final class Podman {

    static final Path SETTINGS_DIR = Path.of(System.getProperty("user.home"), ".cache", "flashsale-images");
    static final String JRE_IMAGE = "localhost/flashsale/jre:17";
    static final String POSTGRES_IMAGE = "localhost/flashsale/postgres:15";
    static final String HAPROXY_IMAGE = "localhost/flashsale/haproxy:2.6";
    static final String PATRONI_IMAGE = "localhost/flashsale/patroni:15";
    static final String ETCD_IMAGE = "localhost/flashsale/etcd:3.4";
    private static final Path LOG = App.ROOT.resolve("system-tests/target/system-tests/podman.log");

    record Result(int exitCode, String output) {
    }

    private final Map<String, String> environment = new HashMap<>();

    Podman(Map<String, String> environment) {
        this.environment.putAll(environment);
        this.environment.put("CONTAINERS_CONF", SETTINGS_DIR.resolve("containers.conf").toString());
        this.environment.put("FLASHSALE_PODMAN_DIR", SETTINGS_DIR.toString());
    }

    /** Whether podman is here, or can be installed from Debian packages (as root with apt-get). */
    static boolean canRun() {
        boolean root = "root".equals(System.getProperty("user.name"));
        return onPath("podman") && onPath("podman-compose") || root && onPath("apt-get");
    }

    /** Installs what is missing, writes the settings and builds the base images unless podman already has them. */
    void prepare() {
        ok(Duration.ofMinutes(10), App.ROOT.resolve("podman/images.sh").toString());
    }

    Result run(Duration timeout, String... command) {
        try {
            Files.createDirectories(LOG.getParent());
            Path output = Files.createTempFile(LOG.getParent(), "podman", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).directory(App.ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor();
            }
            String text = Files.readString(output);
            Files.delete(output);
            Files.writeString(LOG, "$ " + String.join(" ", command) + "\n" + text, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            return new Result(finished ? process.exitValue() : -1, text);
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs the command; fails with its output unless it exits with 0. */
    String ok(Duration timeout, String... command) {
        Result result = run(timeout, command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + result.exitCode() + ":\n"
                    + result.output());
        }
        return result.output();
    }

    /** The names of the containers, pods, networks or volumes (as {@code kind}) labelled with a compose project. */
    List<String> namesInProject(String kind, String project) {
        List<String> command = new ArrayList<>(kind.equals("container")
                ? List.of("podman", "ps", "-a")
                : List.of("podman", kind, "ls"));
        command.addAll(List.of("--filter", "label=io.podman.compose.project=" + project,
                "--format", kind.equals("container") ? "{{.Names}}" : "{{.Name}}"));
        return ok(Duration.ofSeconds(30), command.toArray(String[]::new)).lines().filter(l -> !l.isBlank()).toList();
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}

package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.ha.yml as compose tools read it (ComposeHaWithPodmanTest runs it): the HA topology's services, the
 * Patroni and HAProxy settings taken from the ha/ templates (rendered by ha/render.sh as ha/container.sh does, not
 * copied), the shop on HAProxy's primary port, and every variable documented in the README and, for the apps, a
 * configuration name they really read.
 */
class ComposeHaFileTest {

    private static final Map<String, Object> COMPOSE = load();

    @Test
    void threeEtcdMembersFormingOneCluster() {
        for (String member : List.of("etcd1", "etcd2", "etcd3")) {
            String command = String.join(" ", strings(service(member).get("command")));
            assertTrue(command.contains("--name " + member), command);
            assertTrue(command.contains("--initial-cluster etcd1=http://etcd1:2380,etcd2=http://etcd2:2380,"
                    + "etcd3=http://etcd3:2380"), command);
            assertTrue(healthcheck(service(member)).contains("endpoint health"), member);
        }
    }

    @Test
    void twoPatroniNodesConfiguredFromTheHaTemplate() throws Exception {
        for (String node : List.of("pg1", "pg2")) {
            Map<String, Object> service = service(node);
            assertEquals("${PATRONI_IMAGE:-localhost/flashsale/patroni:15}", service.get("image"));
            assertEquals(List.of("/etc/flashsale/ha/container.sh", "patroni", node), service.get("command"));
            assertTrue(strings(service.get("volumes")).contains("./ha:/etc/flashsale/ha:ro"), "the ha/ templates");
            assertTrue(strings(service.get("volumes")).contains(node + "-data:/var/lib/postgresql/node"));
            assertTrue(healthcheck(service).contains("localhost:8008/health"));
        }
        String script = Files.readString(App.ROOT.resolve("ha/container.sh"));
        assertTrue(script.contains("\"$HERE/render.sh\" patroni"), "the template filled in by ha/render.sh");
        // Rendered as in the container: the same dynamic settings as ha/cluster.sh's nodes, reachable by name.
        Map<String, Object> config = new Yaml(new LoaderOptions()).load(run("ha/render.sh", "patroni", "pg1", "pg1",
                "0.0.0.0", "8008", "5432", "/var/lib/postgresql/node", "etcd1:2379,etcd2:2379,etcd3:2379", "samenet",
                "5432"));
        Map<String, Object> dcs = map(map(config.get("bootstrap")).get("dcs"));
        assertEquals(true, dcs.get("synchronous_mode"));
        assertEquals(20, dcs.get("ttl"));
        assertEquals(1, dcs.get("loop_wait"));
        assertEquals(true, map(dcs.get("postgresql")).get("use_pg_rewind"));
        assertEquals("pg1:5432", map(config.get("postgresql")).get("connect_address"));
        assertEquals("pg1:8008", map(config.get("restapi")).get("connect_address"));
        assertEquals("etcd1:2379,etcd2:2379,etcd3:2379", map(config.get("etcd3")).get("hosts"));
    }

    @Test
    void haproxyChecksPatronisPrimaryAndReplicaEndpoints() throws Exception {
        Map<String, Object> haproxy = service("haproxy");
        assertEquals(List.of("/etc/flashsale/ha/container.sh", "haproxy"), haproxy.get("command"));
        assertEquals(List.of("127.0.0.1:${HA_DB_PORT:-5440}:5432"), haproxy.get("ports"), "published on loopback only");
        String config = run("ha/render.sh", "haproxy", "0.0.0.0", "5432", "5433", "pg1 pg1:5432 check port 8008",
                "pg2 pg2:5432 check port 8008");
        assertTrue(config.contains("bind 0.0.0.0:5432") && config.contains("bind 0.0.0.0:5433"), config);
        assertTrue(config.contains("uri /primary") && config.contains("uri /replica"), config);
        assertTrue(config.contains("on-marked-down shutdown-sessions"), config);
        String script = Files.readString(App.ROOT.resolve("ha/container.sh"));
        assertTrue(script.contains("check port 8008 resolvers compose"), "the nodes found through the compose DNS");
    }

    @Test
    void theShopUsesHaproxysPrimaryPort() {
        for (String app : List.of("inventory-service", "expiry-worker")) {
            Map<String, Object> env = map(service(app).get("environment"));
            assertEquals("postgresql://haproxy:5432/flashsale", env.get("QUARKUS_DATASOURCE_REACTIVE_URL"), app);
            assertEquals("jdbc:postgresql://haproxy:5432/flashsale", env.get("QUARKUS_DATASOURCE_JDBC_URL"), app);
            for (String variable : env.keySet()) {
                ConfigurationNames.assertRealConfigurationName(variable, app);
            }
        }
        assertEquals(List.of("/etc/flashsale/ha/container.sh", "create-database"),
                service("create-database").get("command"));
    }

    @Test
    void everyVariableOfTheFileIsDocumented() throws Exception {
        String readme = Files.readString(App.ROOT.resolve("README.md"));
        Matcher variables = Pattern.compile("\\$\\{([A-Z_]+)").matcher(
                Files.readString(App.ROOT.resolve("docker-compose.ha.yml")));
        List<String> undocumented = new ArrayList<>();
        while (variables.find()) {
            if (!readme.contains("`" + variables.group(1) + "`")) {
                undocumented.add(variables.group(1));
            }
        }
        assertEquals(List.of(), undocumented, "variables of docker-compose.ha.yml missing in the README");
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(App.ROOT.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    private static String healthcheck(Map<String, Object> service) {
        return String.valueOf(map(service.get("healthcheck")).get("test"));
    }

    private static Map<String, Object> service(String name) {
        return map(map(COMPOSE.get("services")).get(name));
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        return ((List<Object>) value).stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> load() {
        try {
            return new Yaml(new LoaderOptions()).load(Files.readString(App.ROOT.resolve("docker-compose.ha.yml")));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

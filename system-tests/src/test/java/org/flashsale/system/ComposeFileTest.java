package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose file as Docker Compose users read it (ComposeWithPodmanTest runs it): its services, ports,
 * healthchecks and start order, that each app is built from its module's Dockerfile on a replaceable base image and
 * started with plain {@code java -jar} as a non-root user, and that every variable it sets is a configuration name
 * the apps really read (the README's configuration table, which lists every setting).
 */
class ComposeFileTest {

    private static final Map<String, Object> COMPOSE = load();

    @Test
    void postgres16WithAHealthcheckAndANamedVolume() {
        Map<String, Object> postgres = service("postgres");
        assertEquals("${POSTGRES_IMAGE:-postgres:16}", postgres.get("image"), "postgres:16 unless POSTGRES_IMAGE");
        assertTrue(healthcheck(postgres).contains("pg_isready"));
        assertEquals(List.of("postgres-data:/var/lib/postgresql/data"), postgres.get("volumes"));
        assertTrue(map(COMPOSE.get("volumes")).containsKey("postgres-data"));
    }

    @Test
    void threeInventoryServiceReplicasBehindTheBalancerOnceTheDatabaseIsHealthy() throws Exception {
        Map<String, Object> inventory = service("inventory-service");
        assertBuiltFromItsDockerfile(inventory, "inventory-service");
        assertEquals(3, map(inventory.get("deploy")).get("replicas"));
        assertTrue(!inventory.containsKey("ports"), "the replicas are reached through the balancer only");
        assertTrue(healthcheck(inventory).contains(":9000/q/health/ready"), "health is on the management port");
        assertEquals("service_healthy", map(map(inventory.get("depends_on")).get("postgres")).get("condition"));
        Map<String, Object> env = map(inventory.get("environment"));
        for (String required : List.of("QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_JDBC_URL",
                "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD", "FLASHSALE_TOKEN_SECRET",
                "FLASHSALE_ADMIN_KEY")) {
            assertTrue(env.containsKey(required), required);
        }
        assertTrue(String.valueOf(env.get("FLASHSALE_TOKEN_SECRET")).contains(":?"), "no default secret in prod");
        assertEquals("balancer", env.get("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES"), "X-Forwarded-For from the balancer only");
        assertEquals("true", env.get("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING"));
        assertEquals("0", env.get("FLASHSALE_HTTP_MAX_CONNECTIONS_PER_ADDRESS"), "the balancer caps per address");
    }

    @Test
    void theBalancerIsTheOnePublicPortWithTheSameConfigurationAsDeployBalancerSh() throws Exception {
        Map<String, Object> balancer = service("balancer");
        assertEquals("${HAPROXY_IMAGE:-haproxy:2.6}", balancer.get("image"));
        assertEquals(List.of("${SHOP_PORT:-8080}:8080"), balancer.get("ports"), "8080 unless SHOP_PORT is set");
        assertEquals(List.of("./deploy/haproxy.cfg:/etc/flashsale/haproxy.cfg:ro",
                "./deploy/compose-servers.cfg:/etc/flashsale/compose-servers.cfg:ro"), balancer.get("volumes"));
        assertEquals(List.of("haproxy", "-W", "-db", "-f", "/etc/flashsale/haproxy.cfg", "-f",
                "/etc/flashsale/compose-servers.cfg"), balancer.get("command"));
        assertEquals("service_healthy", map(map(balancer.get("depends_on")).get("inventory-service")).get("condition"));
        String servers = Files.readString(App.ROOT.resolve("deploy/compose-servers.cfg"));
        assertTrue(servers.contains("server-template instance " + map(service("inventory-service").get("deploy"))
                .get("replicas") + " inventory-service:8080"), "a server slot per replica, found by name");
    }

    @Test
    void twoExpiryWorkersStartAfterTheSchemaExists() throws Exception {
        Map<String, Object> worker = service("expiry-worker");
        assertBuiltFromItsDockerfile(worker, "expiry-worker");
        assertEquals(2, map(worker.get("deploy")).get("replicas"));
        assertTrue(!worker.containsKey("ports"), "replicas publish no host port");
        assertTrue(healthcheck(worker).contains(":8081/q/health/ready"));
        assertEquals("service_healthy", map(map(worker.get("depends_on")).get("inventory-service")).get("condition"));
        assertTrue(map(worker.get("environment")).containsKey("QUARKUS_DATASOURCE_REACTIVE_URL"));
    }

    @Test
    void everyVariableIsARealConfigurationName() {
        assertTrue(ConfigurationNames.readByConfigMappings()
                .containsAll(List.of("FLASHSALE_TOKEN_SECRET", "FLASHSALE_EXPIRY_BATCH_SIZE")));
        for (String name : List.of("inventory-service", "expiry-worker", "balancer")) {
            for (String variable : map(service(name).get("environment")).keySet()) {
                ConfigurationNames.assertRealConfigurationName(variable, name);
            }
        }
    }

    private static void assertBuiltFromItsDockerfile(Map<String, Object> service, String module) throws Exception {
        Map<String, Object> build = map(service.get("build"));
        assertEquals(module, build.get("context"));
        assertEquals(List.of("JRE_IMAGE"), build.get("args"), "passed on only when set, else the Dockerfile's default");
        String dockerfile = Files.readString(App.ROOT.resolve(module).resolve(String.valueOf(build.get("dockerfile"))));
        assertTrue(dockerfile.contains("ARG JRE_IMAGE=registry.access.redhat.com/ubi9/openjdk-17-runtime:"), module);
        assertTrue(dockerfile.contains("FROM ${JRE_IMAGE}"), dockerfile);
        assertTrue(dockerfile.contains("USER 185"), "not root");
        assertTrue(dockerfile.contains("ENTRYPOINT [\"java\",")
                && dockerfile.contains("\"-jar\", \"/deployments/quarkus-run.jar\"]"), "plain java -jar, no launcher");
        assertTrue(Files.isRegularFile(App.ROOT.resolve(module).resolve("src/main/docker/Dockerfile.native")));
    }

    private static String healthcheck(Map<String, Object> service) {
        return String.valueOf(map(service.get("healthcheck")).get("test"));
    }

    private static Map<String, Object> service(String name) {
        return map(map(COMPOSE.get("services")).get(name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> load() {
        try {
            return new Yaml(new LoaderOptions()).load(Files.readString(App.ROOT.resolve("docker-compose.yml")));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

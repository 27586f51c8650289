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
 * No Docker engine runs here, so the compose file is checked for what can be checked: its services, ports,
 * healthchecks and start order, that each app is built from its module's Dockerfile, and that every variable it sets
 * is a configuration name the apps really read (the README's configuration table, which lists every setting).
 */
class ComposeFileTest {

    private static final Map<String, Object> COMPOSE = load();

    @Test
    void postgres16WithAHealthcheckAndANamedVolume() {
        Map<String, Object> postgres = service("postgres");
        assertEquals("postgres:16", postgres.get("image"));
        assertTrue(healthcheck(postgres).contains("pg_isready"));
        assertEquals(List.of("postgres-data:/var/lib/postgresql/data"), postgres.get("volumes"));
        assertTrue(map(COMPOSE.get("volumes")).containsKey("postgres-data"));
    }

    @Test
    void inventoryServiceServesEverythingOnOnePublicPortOnceTheDatabaseIsHealthy() {
        Map<String, Object> inventory = service("inventory-service");
        assertBuiltFromItsDockerfile(inventory, "inventory-service");
        assertEquals(List.of("8080:8080"), inventory.get("ports"));
        assertTrue(healthcheck(inventory).contains("/q/health/ready"));
        assertEquals("service_healthy", map(map(inventory.get("depends_on")).get("postgres")).get("condition"));
        Map<String, Object> env = map(inventory.get("environment"));
        for (String required : List.of("QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_JDBC_URL",
                "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD", "FLASHSALE_TOKEN_SECRET",
                "FLASHSALE_ADMIN_KEY")) {
            assertTrue(env.containsKey(required), required);
        }
        assertTrue(String.valueOf(env.get("FLASHSALE_TOKEN_SECRET")).contains(":?"), "no default secret in prod");
    }

    @Test
    void twoExpiryWorkersStartAfterTheSchemaExists() {
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
        for (String name : List.of("inventory-service", "expiry-worker")) {
            for (String variable : map(service(name).get("environment")).keySet()) {
                ConfigurationNames.assertRealConfigurationName(variable, name);
            }
        }
    }

    private static void assertBuiltFromItsDockerfile(Map<String, Object> service, String module) {
        Map<String, Object> build = map(service.get("build"));
        assertEquals(module, build.get("context"));
        assertTrue(Files.isRegularFile(App.ROOT.resolve(module).resolve(String.valueOf(build.get("dockerfile")))));
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

package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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

    /** FLASHSALE_* names the apps read: from their @ConfigMapping interfaces (prefix + method names, kebab-cased). */
    private static Set<String> flashsaleVariables() throws Exception {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(App.ROOT)) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java") && p.toString().contains("src/main"))
                    .toList()) {
                String code = Files.readString(source);
                Matcher prefix = Pattern.compile("@ConfigMapping\\(prefix = \"([a-z.-]+)\"\\)").matcher(code);
                if (!prefix.find()) {
                    continue;
                }
                Matcher method = Pattern.compile("\\n\\s+[A-Za-z<>.]+ ([a-z][A-Za-z]*)\\(\\);").matcher(code);
                while (method.find()) {
                    String kebab = method.group(1).replaceAll("([A-Z])", "-$1").toLowerCase();
                    names.add((prefix.group(1) + "." + kebab).toUpperCase().replace('.', '_').replace('-', '_'));
                }
            }
        }
        return names;
    }

    @Test
    void everyVariableIsARealConfigurationName() throws Exception {
        Set<String> flashsale = flashsaleVariables();
        assertTrue(flashsale.containsAll(List.of("FLASHSALE_TOKEN_SECRET", "FLASHSALE_EXPIRY_BATCH_SIZE")), flashsale::toString);
        String readme = Files.readString(App.ROOT.resolve("README.md"));
        Matcher documented = Pattern.compile("\\| `([A-Z0-9_]+)`").matcher(readme);
        StringBuilder known = new StringBuilder();
        while (documented.find()) {
            known.append(documented.group(1)).append('\n');
        }
        for (String name : List.of("inventory-service", "expiry-worker")) {
            for (String variable : map(service(name).get("environment")).keySet()) {
                assertTrue(known.toString().contains(variable + "\n"), variable + " (" + name + ") is not documented");
                assertTrue(!variable.startsWith("FLASHSALE_") || flashsale.contains(variable),
                        variable + " (" + name + ") is not read by any app");
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

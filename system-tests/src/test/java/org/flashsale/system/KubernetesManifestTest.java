package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * No cluster runs here, so the manifests that quarkus-kubernetes writes at build time
 * ({@code <app>/target/kubernetes/kubernetes.yml}) are checked for what makes them deployable: a Deployment behind a
 * Service, the health probes and metrics on the management port (inventory-service) or the app's port (expiry-worker),
 * every secret from the Secret and none in the manifest, resource requests, and only configuration names the apps
 * really read.
 */
class KubernetesManifestTest {

    static final String SECRET = "flashsale-secrets";
    static final String CONFIG_MAP = "flashsale-config";

    enum Deployed {
        INVENTORY_SERVICE("inventory-service", 8080, 9000, 2,
                Set.of("FLASHSALE_TOKEN_SECRET", "FLASHSALE_ADMIN_KEY", "QUARKUS_DATASOURCE_USERNAME",
                        "QUARKUS_DATASOURCE_PASSWORD"),
                Set.of("QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_JDBC_URL")),
        EXPIRY_WORKER("expiry-worker", 8081, null, 2,
                Set.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD"),
                Set.of("QUARKUS_DATASOURCE_REACTIVE_URL"));

        final String module;
        final int port;
        /** The management interface's port (health and metrics), null when they are on {@link #port}. */
        final Integer managementPort;
        final int replicas;
        final Set<String> fromSecret;
        final Set<String> fromConfigMap;

        Deployed(String module, int port, Integer managementPort, int replicas, Set<String> fromSecret,
                Set<String> fromConfigMap) {
            this.module = module;
            this.port = port;
            this.managementPort = managementPort;
            this.replicas = replicas;
            this.fromSecret = fromSecret;
            this.fromConfigMap = fromConfigMap;
        }

        Path manifest() {
            return App.ROOT.resolve(module).resolve("target/kubernetes/kubernetes.yml");
        }
    }

    @ParameterizedTest
    @EnumSource(Deployed.class)
    void aDeploymentBehindAServiceAndNothingThatNeedsMoreThanThat(Deployed app) {
        // No Job, ServiceAccount/RBAC or ServiceMonitor: plain `kubectl apply` works on any cluster.
        assertEquals(List.of("Service", "Deployment"), resources(app).stream().map(r -> r.get("kind")).toList());
        Map<String, Object> deployment = deployment(app);
        assertEquals(app.module, map(deployment.get("metadata")).get("name"));
        assertEquals(app.replicas, spec(deployment).get("replicas"));

        Map<String, Object> container = container(app);
        List<Map<String, Object>> ports = new ArrayList<>(List.of(
                Map.of("containerPort", app.port, "name", "http", "protocol", "TCP")));
        if (app.managementPort != null) {
            ports.add(Map.of("containerPort", app.managementPort, "name", "management", "protocol", "TCP"));
        }
        assertEquals(Set.copyOf(ports), Set.copyOf(list(container.get("ports"))));

        Map<String, Object> service = resource(app, "Service");
        // The Service publishes the app's port only: the management port is for probes and Prometheus.
        assertEquals(1, list(spec(service).get("ports")).size());
        Map<String, Object> port = map(list(spec(service).get("ports")).get(0));
        assertEquals(app.port, port.get("targetPort"));
        Map<String, Object> selector = map(spec(service).get("selector"));
        assertEquals(Map.of("app.kubernetes.io/name", app.module), selector);
        Map<String, Object> podLabels = map(map(map(spec(deployment).get("template")).get("metadata")).get("labels"));
        assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), "the Service selects the pods");
        // A Deployment's selector is immutable: with the version in it, the next version could not be applied.
        assertEquals(selector, map(spec(deployment).get("selector")).get("matchLabels"));
    }

    @ParameterizedTest
    @EnumSource(Deployed.class)
    void probesAskTheHealthEndpointsOnTheManagementPortAndPrometheusScrapesIt(Deployed app) {
        Map<String, Object> container = container(app);
        int health = app.managementPort != null ? app.managementPort : app.port;
        assertProbe(container, "livenessProbe", "/q/health/live", health);
        assertProbe(container, "readinessProbe", "/q/health/ready", health);
        assertProbe(container, "startupProbe", "/q/health/started", health);
        Map<String, Object> annotations = map(map(deployment(app).get("metadata")).get("annotations"));
        assertEquals(String.valueOf(health), annotations.get("prometheus.io/port"));
        assertEquals("/q/metrics", annotations.get("prometheus.io/path"));
    }

    @ParameterizedTest
    @EnumSource(Deployed.class)
    void everySecretComesFromTheSecretAndNoSecretValueIsInTheManifest(Deployed app) {
        Map<String, Map<String, Object>> env = env(app);
        for (String variable : app.fromSecret) {
            assertNotNull(env.get(variable), variable + " is not set in " + app.manifest());
            assertEquals(Map.of("secretKeyRef", Map.of("name", SECRET, "key", variable)),
                    env.get(variable).get("valueFrom"), variable);
            assertFalse(env.get(variable).containsKey("value"), variable);
        }
        for (String variable : app.fromConfigMap) {
            assertNotNull(env.get(variable), variable + " is not set in " + app.manifest());
            assertEquals(Map.of("configMapKeyRef", Map.of("name", CONFIG_MAP, "key", variable)),
                    env.get(variable).get("valueFrom"), variable);
        }
        String manifest = read(app.manifest());
        Set<String> knownSecrets = secretDefaultsOfAnyProfile();
        assertTrue(knownSecrets.size() >= 2, knownSecrets::toString);
        for (String secret : knownSecrets) {
            assertFalse(manifest.contains(secret), "a secret value in " + app.manifest());
        }
        assertFalse(manifest.contains("kind: Secret"), "the Secret is created by the operator, not by the build");
    }

    @ParameterizedTest
    @EnumSource(Deployed.class)
    void resourceRequestsAndAMemoryLimitAreSet(Deployed app) {
        Map<String, Object> resources = map(container(app).get("resources"));
        Map<String, Object> requests = map(resources.get("requests"));
        assertNotNull(requests.get("cpu"));
        assertNotNull(requests.get("memory"));
        assertNotNull(map(resources.get("limits")).get("memory"));
    }

    @ParameterizedTest
    @EnumSource(Deployed.class)
    void everyVariableIsARealConfigurationName(Deployed app) {
        Map<String, Map<String, Object>> env = env(app);
        Set<String> expected = new TreeSet<>(app.fromSecret);
        expected.addAll(app.fromConfigMap);
        expected.add("KUBERNETES_NAMESPACE");
        assertEquals(expected, env.keySet());
        for (Map.Entry<String, Map<String, Object>> variable : env.entrySet()) {
            if (variable.getKey().equals("KUBERNETES_NAMESPACE")) {
                // The generator always adds the pod's namespace (downward API); the apps ignore it.
                assertEquals(Map.of("fieldRef", Map.of("fieldPath", "metadata.namespace")),
                        variable.getValue().get("valueFrom"));
                continue;
            }
            ConfigurationNames.assertRealConfigurationName(variable.getKey(), app.module + " manifest");
        }
    }

    @ParameterizedTest
    @EnumSource(Deployed.class)
    void theImageIsTheAppsOwnAndTheBuildShipsNoKubernetesClient(Deployed app) throws IOException {
        String version = String.valueOf(map(map(deployment(app).get("metadata")).get("labels"))
                .get("app.kubernetes.io/version"));
        String image = String.valueOf(container(app).get("image"));
        assertTrue(image.endsWith("flashsale/" + app.module + ":" + version), image);
        assertEquals("IfNotPresent", container(app).get("imagePullPolicy"));
        // Manifests only: the packaged app gains no Kubernetes client, so it calls no API server at runtime.
        try (Stream<Path> jars = Files.list(App.ROOT.resolve(app.module).resolve("target/quarkus-app/lib/main"))) {
            List<String> clients = jars.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith("io.fabric8.")).toList();
            assertEquals(List.of(), clients);
        }
    }

    private static void assertProbe(Map<String, Object> container, String probe, String path, int port) {
        Map<String, Object> httpGet = map(map(container.get(probe)).get("httpGet"));
        assertEquals(path, httpGet.get("path"), probe);
        assertEquals(port, httpGet.get("port"), probe);
        assertEquals("HTTP", httpGet.get("scheme"), probe);
    }

    /** The dev and test defaults of the secrets, from both apps' application.properties. */
    private static Set<String> secretDefaultsOfAnyProfile() {
        Pattern secret = Pattern.compile("(?m)^(?:%[a-z,]+\\.)?flashsale\\.(?:token-secret|admin-key)=(.+)$");
        Set<String> values = new TreeSet<>();
        for (Deployed app : Deployed.values()) {
            Matcher found = secret.matcher(read(App.ROOT.resolve(app.module)
                    .resolve("src/main/resources/application.properties")));
            while (found.find()) {
                values.add(found.group(1).trim());
            }
        }
        values.add(App.TOKEN_SECRET);
        values.add(App.ADMIN_KEY);
        return values;
    }

    private static Map<String, Map<String, Object>> env(Deployed app) {
        Map<String, Map<String, Object>> env = new TreeMap<>();
        for (Object variable : list(container(app).get("env"))) {
            env.put(String.valueOf(map(variable).get("name")), map(variable));
        }
        return env;
    }

    private static Map<String, Object> container(Deployed app) {
        Map<String, Object> pod = spec(map(spec(deployment(app)).get("template")));
        List<Object> containers = list(pod.get("containers"));
        assertEquals(1, containers.size());
        assertFalse(pod.containsKey("initContainers"), "nothing runs before the app");
        return map(containers.get(0));
    }

    private static Map<String, Object> deployment(Deployed app) {
        return resource(app, "Deployment");
    }

    private static Map<String, Object> resource(Deployed app, String kind) {
        return resources(app).stream().filter(r -> kind.equals(r.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + app.manifest()));
    }

    private static List<Map<String, Object>> resources(Deployed app) {
        List<Map<String, Object>> resources = new ArrayList<>();
        for (Object document : new Yaml(new LoaderOptions()).loadAll(read(app.manifest()))) {
            resources.add(map(document));
        }
        return resources;
    }

    private static Map<String, Object> spec(Map<String, Object> resource) {
        return map(resource.get("spec"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + " (built by `./mvnw package` of the app's module)", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }
}

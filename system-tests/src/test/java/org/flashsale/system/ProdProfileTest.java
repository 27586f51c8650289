package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The packaged app runs the prod profile: it has no default secrets and will not start without them. */
class ProdProfileTest {

    @Test
    void inventoryServiceRefusesToStartWithoutItsSecrets() throws Exception {
        try (Database database = new Database()) {
            Map<String, String> env = new HashMap<>(database.appEnvironment());
            env.remove("FLASHSALE_TOKEN_SECRET");
            env.remove("FLASHSALE_ADMIN_KEY");
            App app = App.launch("prod-without-secrets", "inventory-service", env);

            assertTrue(app.waitFor(Duration.ofSeconds(60)), "it stops by itself");
            assertNotEquals(0, app.process.exitValue());
            assertTrue(app.logContains("flashsale.token-secret"), app.logText());
            assertTrue(app.logContains("flashsale.admin-key"), app.logText());
        }
    }

    @Test
    void inventoryServiceRefusesATooShortSecret() throws Exception {
        try (Database database = new Database()) {
            Map<String, String> env = new HashMap<>(database.appEnvironment());
            env.put("FLASHSALE_TOKEN_SECRET", "short-but-secret");
            App app = App.launch("prod-short-secret", "inventory-service", env);

            assertTrue(app.waitFor(Duration.ofSeconds(60)));
            assertNotEquals(0, app.process.exitValue());
            assertTrue(app.logContains("flashsale.token-secret"), app.logText());
            assertFalse(app.logContains("short-but-secret"), "the refused secret is not echoed");
        }
    }

    @Test
    void secretsAndTokensNeverReachTheLogs() throws Exception {
        try (Database database = new Database()) {
            Map<String, String> env = new HashMap<>(database.appEnvironment());
            env.put("FLASHSALE_PREVIOUS_TOKEN_SECRETS", "a-previous-secret-that-is-long-enough-42");
            env.put("QUARKUS_LOG_CATEGORY__ORG_FLASHSALE__LEVEL", "DEBUG");
            try (App app = App.inventoryService("prod-secrets-in-logs", env);
                    App worker = App.expiryWorker("prod-secrets-in-logs-worker", env)) {
                Http api = new Http(app.baseUrl());
                Http.Shopper shopper = api.newShopper();
                api.reserve(shopper, api.newProduct(3), 1).join();
                api.post("/api/reservations", shopper.token() + "x", "{}");
                api.post("/api/admin/reset", App.ADMIN_KEY + "x", "");
                Http.Reply reset = api.post("/api/admin/reset", App.ADMIN_KEY, "");
                assertEquals(404, reset.status(), "prod has no demo reset (flashsale.demo.reset-enabled)");
                assertEquals("NOT_FOUND", reset.body().get("code").asText());
                assertEquals(false, api.get("/api/admin/dashboard", App.ADMIN_KEY).body().get("resetAvailable")
                        .asBoolean(true));

                for (App process : new App[] { app, worker }) {
                    String log = process.logText();
                    for (String secret : new String[] { App.TOKEN_SECRET, App.ADMIN_KEY, shopper.token(),
                            "a-previous-secret-that-is-long-enough-42" }) {
                        assertFalse(log.contains(secret), () -> "the log of " + process.name + " shows " + secret);
                    }
                }
            }
        }
    }

    /**
     * Micrometer's Netty binder registers one gauge twice at start-up and says so once (quarkusio/quarkus#52014,
     * upstream): the one WARN line that is not ours.
     */
    private static final String UPSTREAM_DUPLICATE_GAUGE = "(MeterId{name='netty.eventexecutor.workers'";

    /** A stop asked for (SIGTERM) is no news: the log of a clean run and stop has no WARN or ERROR line of ours. */
    @Test
    void aCleanRunAndStopLogNoWarning() throws Exception {
        try (Database database = new Database()) {
            App app = App.inventoryService("prod-clean-stop", database.appEnvironment());
            try (app) {
                Http api = new Http(app.baseUrl());
                api.reserve(api.newShopper(), api.newProduct(3), 1).join();
            }
            assertTrue(app.waitFor(Duration.ofSeconds(20)), "the service stops on SIGTERM");
            List<String> alarms = app.logText().lines()
                    .filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                    .filter(line -> !line.contains(UPSTREAM_DUPLICATE_GAUGE)).toList();
            assertEquals(List.of(), alarms, "WARN and ERROR mean news; a clean run and stop has none");
        }
    }
}

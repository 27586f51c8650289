package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
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
            env.put("FLASHSALE_TOKEN_SECRET", "short");
            App app = App.launch("prod-short-secret", "inventory-service", env);

            assertTrue(app.waitFor(Duration.ofSeconds(60)));
            assertNotEquals(0, app.process.exitValue());
            assertTrue(app.logContains("flashsale.token-secret"), app.logText());
        }
    }
}

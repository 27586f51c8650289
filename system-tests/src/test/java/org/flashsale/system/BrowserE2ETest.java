package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The shopper's page in real Chromium (web/e2e, playwright-core driving Debian's /usr/bin/chromium) against the real
 * stack: both apps as processes on a real database, with a short hold TTL so a hold expires on screen, and a second
 * inventory-service on the same database that admits two /ws/stock watchers (the cap's test, web/e2e/cap.e2e.mjs).
 * web/e2e/time.e2e.mjs starts an inventory-service of its own on the same database (INVENTORY_JAR and the apps'
 * environment are passed on), to restart it under a page. Screenshots of every step are kept in web/test-results/.
 * {@code -De2e.files=e2e/time.e2e.mjs,e2e/shop.e2e.mjs} runs only those files instead of {@code npm run e2e}.
 */
class BrowserE2ETest {

    private static final Path WEB = App.ROOT.resolve("web");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    @Test
    void theShopWorksInARealBrowser() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), "Chromium is needed at " + CHROMIUM + ": ./test.sh installs it "
                + "(apt-get install chromium)");
        try (Database database = new Database()) {
            Map<String, String> env = new HashMap<>(database.appEnvironment());
            env.put("FLASHSALE_HOLD_TTL", "6s");
            Map<String, String> cappedEnv = new HashMap<>(env);
            cappedEnv.put("FLASHSALE_LIVE_MAX_WATCHERS", "2");
            try (App inventory = App.inventoryService("e2e-inventory", env);
                    App capped = App.inventoryService("e2e-inventory-capped", cappedEnv);
                    App worker = App.expiryWorker("e2e-worker", env)) {
                Path log = App.ROOT.resolve("system-tests/target/system-tests/e2e-browser.log");
                ProcessBuilder builder = new ProcessBuilder(command())
                        .directory(WEB.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                builder.environment().putAll(env);
                builder.environment().put("INVENTORY_JAR",
                        App.ROOT.resolve("inventory-service/target/quarkus-app/quarkus-run.jar").toString());
                builder.environment().put("BASE_URL", inventory.baseUrl());
                builder.environment().put("CAPPED_URL", capped.baseUrl());
                builder.environment().put("ADMIN_KEY", App.ADMIN_KEY);
                builder.environment().put("CHROMIUM", CHROMIUM.toString());
                Process e2e = builder.start();
                boolean finished = e2e.waitFor(10, TimeUnit.MINUTES);
                if (!finished) {
                    // npm's children first: node's test runner and its per-file processes outlive npm otherwise, and
                    // run on against the stopped stack (every later test then fails with "fetch failed").
                    e2e.descendants().forEach(ProcessHandle::destroyForcibly);
                    e2e.destroyForcibly();
                }
                String output = Files.readString(log);
                System.out.println(output);
                assertTrue(finished, "the browser tests did not finish in 10 minutes");
                assertEquals(0, e2e.exitValue(), "browser tests failed:\n" + output);
            }
        }
    }

    /** {@code npm run e2e}, or only the files named by {@code -De2e.files} (comma-separated, relative to web/). */
    private static List<String> command() {
        String files = System.getProperty("e2e.files", "").trim();
        if (files.isEmpty()) {
            return List.of("npm", "run", "e2e");
        }
        List<String> command = new ArrayList<>(List.of("node", "--test", "--test-concurrency=1"));
        command.addAll(List.of(files.split("\\s*,\\s*")));
        return command;
    }
}

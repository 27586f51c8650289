package org.flashsale.localpg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a Quarkus test a real PostgreSQL: the one that {@code QUARKUS_DATASOURCE_REACTIVE_URL} names, if set,
 * otherwise a fresh local server with its data in a temporary folder.
 */
public class LocalPostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private LocalPostgres postgres;

    @Override
    public Map<String, String> start() {
        if (System.getenv("QUARKUS_DATASOURCE_REACTIVE_URL") != null) {
            return Map.of();
        }
        try {
            postgres = LocalPostgres.start(Files.createTempDirectory("flashsale-test-pg"), 0, false,
                    LocalPostgres.Durability.FAST);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return postgres.datasourceProperties();
    }

    @Override
    public void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

package org.flashsale.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

import org.flywaydb.core.Flyway;

import io.quarkus.test.common.QuarkusTestResourceConfigurableLifecycleManager;

import org.flashsale.localpg.LocalPostgres;

/**
 * The real PostgreSQL behind {@link WithPostgres}: the one that {@code QUARKUS_DATASOURCE_REACTIVE_URL} names, if
 * set, otherwise a fresh local server with its data in a temporary folder.
 */
public class PostgresTestResource implements QuarkusTestResourceConfigurableLifecycleManager<WithPostgres> {

    /** Relative to the module under test, which is a sibling of inventory-service. */
    private static final String MIGRATIONS = "filesystem:../inventory-service/src/main/resources/db/migration";

    private boolean migrate;
    private LocalPostgres postgres;

    @Override
    public void init(WithPostgres annotation) {
        migrate = annotation.migrate();
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> properties = System.getenv("QUARKUS_DATASOURCE_REACTIVE_URL") != null ? Map.of() : startLocal();
        if (migrate) {
            migrate(properties);
        }
        return properties;
    }

    private Map<String, String> startLocal() {
        try {
            postgres = LocalPostgres.start(Files.createTempDirectory("flashsale-test-pg"), 0, false,
                    LocalPostgres.Durability.FAST);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return postgres.datasourceProperties();
    }

    private static void migrate(Map<String, String> properties) {
        String url = properties.getOrDefault("quarkus.datasource.jdbc.url", System.getenv("QUARKUS_DATASOURCE_JDBC_URL"));
        String user = properties.getOrDefault("quarkus.datasource.username", System.getenv("QUARKUS_DATASOURCE_USERNAME"));
        String password = properties.getOrDefault("quarkus.datasource.password",
                System.getenv().getOrDefault("QUARKUS_DATASOURCE_PASSWORD", ""));
        Flyway.configure().dataSource(url, user, password).locations(MIGRATIONS).load().migrate();
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

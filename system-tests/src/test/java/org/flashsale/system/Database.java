package org.flashsale.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.flashsale.localpg.LocalPostgres;
import org.flashsale.localpg.LocalPostgres.Durability;
import org.flashsale.testsupport.Books;

/** The real PostgreSQL under the system: started for the tests, read directly to check the books. */
final class Database implements AutoCloseable {

    private final Path dataDir;
    private LocalPostgres postgres;
    private int port;
    /** A server this class did not start (the HA cluster's primary through HAProxy), or null. */
    private final String externalJdbcUrl;

    Database() throws Exception {
        dataDir = Files.createTempDirectory("flashsale-system-pg");
        // Keep the data on stop (a fresh folder anyway), so restart() finds it; close() removes it.
        postgres = LocalPostgres.start(dataDir, 0, true, Durability.DURABLE);
        port = postgres.port();
        externalJdbcUrl = null;
    }

    private Database(String jdbcUrl) {
        dataDir = null;
        externalJdbcUrl = jdbcUrl;
    }

    /** Reads a server someone else runs (as user postgres, trusted); stop, restart and close leave it alone. */
    static Database at(String jdbcUrl) {
        return new Database(jdbcUrl);
    }

    /**
     * The standard datasource settings both apps take, plus the prod secrets. Rate limits and the cap on connections
     * per address are off: these tests play many shoppers from one address (the limits themselves are tested in
     * inventory-service's RateLimitTest and ConnectionLimitsTest).
     */
    Map<String, String> appEnvironment() {
        return appEnvironment(postgres.datasourceEnvironment());
    }

    /** The same, on another server's datasource settings (the HA cluster's). */
    static Map<String, String> appEnvironment(Map<String, String> datasource) {
        Map<String, String> env = new HashMap<>(datasource);
        env.putAll(App.secrets());
        env.put("FLASHSALE_RATE_LIMIT_ENABLED", "false");
        env.put("FLASHSALE_HTTP_MAX_CONNECTIONS_PER_ADDRESS", "0");
        return env;
    }

    void stop() throws Exception {
        postgres.close();
    }

    /** Starts the server again on the same port with the same data, as after a database restart. */
    void restart() throws Exception {
        postgres = LocalPostgres.start(dataDir, port, true, Durability.DURABLE);
    }

    long count(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs statements that return nothing (DDL, or an update whose count does not matter). */
    void execute(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ids a one-column query returns. */
    Set<UUID> ids(String sql) {
        Set<UUID> ids = new HashSet<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                ids.add(rows.getObject(1, UUID.class));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    /** The books, read straight from the database. */
    Books books() {
        try (Connection connection = connect()) {
            return Books.read(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every hold's status, by id. */
    Map<UUID, String> holdStatuses() {
        Map<UUID, String> statuses = new HashMap<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, status FROM holds")) {
            while (rows.next()) {
                statuses.put(rows.getObject(1, UUID.class), rows.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return statuses;
    }

    /** A connection of the test's own, for what a statement cannot do alone (holding a row lock meanwhile). */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(externalJdbcUrl != null ? externalJdbcUrl : postgres.jdbcUrl(),
                LocalPostgres.USER, "");
    }

    @Override
    public void close() throws Exception {
        if (externalJdbcUrl != null) {
            return;
        }
        postgres.close();
        try (var paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}

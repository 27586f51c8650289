package org.flashsale.inventory.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.flashsale.localpg.LocalPostgres;
import org.flashsale.testsupport.DrawRecipe;

/**
 * The migrations on a real PostgreSQL: a database deployed before the functions moved into repeatable migrations
 * (migrated to V5) upgrades cleanly to the head, and ends with the same functions as a fresh one.
 */
class MigrationsTest {

    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.+\\.sql");
    private static final Pattern REPEATABLE = Pattern.compile("R__(.+)\\.sql");
    /** The last version a database could be at before the functions lived in repeatable migrations. */
    private static final String LAST_VERSION_WITHOUT_REPEATABLES = "5";

    private static LocalPostgres postgres;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = LocalPostgres.start(Files.createTempDirectory("flashsale-migrations-pg"), 0, false,
                LocalPostgres.Durability.FAST);
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Test
    void databaseAtV5UpgradesToTheRepeatableFunctionsKeepingItsHoldsAndBooks(@TempDir Path released)
            throws Exception {
        String url = createDatabase("upgraded");
        migrateAsReleasedBefore(url, released);
        assertEquals(Map.of(), homesNamedInTheDatabase(url), "V5 knows nothing of the repeatable migrations yet");
        String product = seedProductWithHolds(url);
        List<List<String>> before = contents(url);

        migrateToHead(url);

        assertEquals(before, contents(url), "every product, stripe and hold as it was");
        assertEquals(List.of(List.of("3", "3")), rows(url, """
                SELECT count(*) FILTER (WHERE amount_cents = quantity * price_cents),
                       count(*) FILTER (WHERE latest_expires_at = expires_at) FROM holds"""),
                "V6: each hold costs what it was shown to cost, and lives no longer than it would have");
        assertEquals(List.of(List.of("10", "5", "3", "2")), books(url, product));
        assertEquals(repeatableFiles(), appliedRepeatables(url));
        Map<String, String> expectedHomes = new TreeMap<>();
        repeatableFiles().forEach(file -> expectedHomes.put(functionOf(file), file));
        assertEquals(expectedHomes, homesNamedInTheDatabase(url));
        for (String file : repeatableFiles()) {
            assertEquals(bodyOf(file), single(url, "SELECT prosrc FROM pg_proc WHERE proname = '" + functionOf(file)
                    + "' AND pronamespace = 'public'::regnamespace"), file + " is the function's definition");
        }

        assertEquals("RESERVED", single(url, reserveAtHead(product, "e0000000-0000-0000-0000-000000000005", 5)));
        assertEquals("OUT_OF_STOCK", single(url, reserveAtHead(product, "e0000000-0000-0000-0000-000000000005", 1)));
        assertEquals(List.of(List.of("10", "0", "8", "2")), books(url, product));
    }

    /**
     * V9 stores the published draw's keys with the draw: a queue drawn before it gets the keys of the places still
     * held, in position order, and 32 zero bytes (published as no key) for a place given up before the upgrade.
     */
    @Test
    void aQueueDrawnBeforeV9GetsItsKeysStoredInPositionOrder(@TempDir Path released) throws Exception {
        String url = createDatabase("drawn_before_v9");
        migrateAsReleasedBefore(url, released, "8");
        String seed = "0123456789abcdef0123456789abcdef";
        String product = single(url, """
                INSERT INTO products (sku, name, price_cents, total_stock, queue)
                VALUES ('DRAWN-1', 'Drawn', 100, 5, true) RETURNING id""");
        List<String> shoppers = List.of("d0000000-0000-0000-0000-000000000001", "d0000000-0000-0000-0000-000000000002",
                "d0000000-0000-0000-0000-000000000003");
        for (String shopper : shoppers) {
            execute(url, "INSERT INTO shoppers (id) VALUES ('" + shopper + "')");
        }
        execute(url, "INSERT INTO product_queues (product_id, draw_seed, drawn_at, draw_cutoff, draw_entrants, placed) "
                + "VALUES ('" + product + "', '" + seed + "', now(), now(), 3, 3)");
        // Places 1 and 3 still held; the shopper of place 2 left after the draw.
        execute(url, "INSERT INTO queue_entries (product_id, shopper_id, position) VALUES ('" + product + "', '"
                + shoppers.get(0) + "', 1), ('" + product + "', '" + shoppers.get(2) + "', 3)");

        migrateToHead(url);

        String expected = DrawRecipe.hexKey(seed, UUID.fromString(shoppers.get(0))) + "0".repeat(64)
                + DrawRecipe.hexKey(seed, UUID.fromString(shoppers.get(2)));
        assertEquals(expected, single(url, "SELECT encode(draw_keys, 'hex') FROM product_queues"));
        String undrawn = single(url, "INSERT INTO products (sku, name, price_cents, total_stock, queue) "
                + "VALUES ('UNDRAWN-1', 'Undrawn', 100, 5, true) RETURNING id");
        execute(url, "INSERT INTO product_queues (product_id) VALUES ('" + undrawn + "')");
        assertEquals("t", single(url, "SELECT draw_keys IS NULL FROM product_queues WHERE product_id = '" + undrawn
                + "'"), "no keys before the draw");
    }

    @Test
    void upgradedAndFreshDatabasesEndWithIdenticalFunctions(@TempDir Path released) throws Exception {
        String upgraded = createDatabase("upgraded_for_comparison");
        migrateAsReleasedBefore(upgraded, released);
        seedProductWithHolds(upgraded);
        migrateToHead(upgraded);
        String fresh = createDatabase("fresh");
        migrateToHead(fresh);

        Map<String, String> definitions = functionDefinitions(fresh);
        assertEquals(repeatableFiles().stream().map(MigrationsTest::functionOf).sorted().toList(),
                List.copyOf(definitions.keySet()));
        assertEquals(definitions, functionDefinitions(upgraded));
    }

    @Test
    void everyFunctionLivesInItsOwnRepeatableMigrationOnly() throws IOException {
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.toList()) {
                Matcher versioned = VERSIONED.matcher(file.getFileName().toString());
                if (versioned.matches()
                        && Integer.parseInt(versioned.group(1)) > Integer.parseInt(LAST_VERSION_WITHOUT_REPEATABLES)) {
                    assertFalse(Pattern.compile("CREATE\\s+(OR\\s+REPLACE\\s+)?FUNCTION", Pattern.CASE_INSENSITIVE)
                            .matcher(Files.readString(file)).find(),
                            file + " is a versioned migration: functions go in R__<function>.sql");
                }
            }
        }
        for (String file : repeatableFiles()) {
            String sql = Files.readString(MIGRATIONS.resolve(file));
            assertEquals(1, Pattern.compile("CREATE OR REPLACE FUNCTION " + functionOf(file) + "\\(")
                    .matcher(sql).results().count(), file + " defines its function once");
            assertEquals(1, Pattern.compile("CREATE\\s+(OR\\s+REPLACE\\s+)?FUNCTION", Pattern.CASE_INSENSITIVE)
                    .matcher(sql).results().count(), file + " defines one function");
        }
    }

    /**
     * What a database deployed before this change went through: the versioned migrations up to V5 and no repeatable
     * one. Flyway applies repeatable migrations whatever the target, so they are left out of the location.
     */
    private static void migrateAsReleasedBefore(String url, Path released) throws IOException, SQLException {
        migrateAsReleasedBefore(url, released, LAST_VERSION_WITHOUT_REPEATABLES);
    }

    /** The versioned migrations up to {@code version}, no repeatable one. */
    private static void migrateAsReleasedBefore(String url, Path released, String version)
            throws IOException, SQLException {
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.filter(f -> VERSIONED.matcher(f.getFileName().toString()).matches()).toList()) {
                Files.copy(file, released.resolve(file.getFileName()));
            }
        }
        Flyway.configure().dataSource(url, LocalPostgres.USER, "").locations("filesystem:" + released)
                .target(version).load().migrate();
        assertEquals(version, single(url,
                "SELECT max(version::integer)::text FROM flyway_schema_history WHERE version IS NOT NULL"));
    }

    /** As inventory-service migrates at start-up. */
    private static void migrateToHead(String url) {
        Flyway.configure().dataSource(url, LocalPostgres.USER, "").locations("classpath:db/migration").load().migrate();
    }

    /**
     * One product of 10 units over 4 stripes: 3 held, 2 sold, 4 reserved and expired (back in stock), by the
     * functions of V5.
     */
    private static String seedProductWithHolds(String url) throws SQLException {
        String product = single(url, """
                INSERT INTO products (sku, name, price_cents, total_stock) VALUES ('UPGRADE-1', 'Upgrade', 1500, 10)
                RETURNING id""");
        execute(url, "INSERT INTO stock_stripes (product_id, stripe, available_stock) VALUES ('" + product + "', 0, 10)");
        single(url, "SELECT restock_product('" + product + "', 0, 4, 1000000000)");
        execute(url, """
                INSERT INTO shoppers (id) VALUES ('e0000000-0000-0000-0000-000000000001'),
                    ('e0000000-0000-0000-0000-000000000002'), ('e0000000-0000-0000-0000-000000000003'),
                    ('e0000000-0000-0000-0000-000000000005')""");
        assertEquals("RESERVED", single(url, reserve(product, "e0000000-0000-0000-0000-000000000001", 3, 3_600_000)));
        assertEquals("RESERVED", single(url, reserve(product, "e0000000-0000-0000-0000-000000000002", 2, 3_600_000)));
        execute(url, "UPDATE holds SET status = 'COMPLETED', ended_at = now() "
                + "WHERE shopper_id = 'e0000000-0000-0000-0000-000000000002'");
        assertEquals("RESERVED", single(url, reserve(product, "e0000000-0000-0000-0000-000000000003", 4, 0)));
        assertEquals("1", single(url, "SELECT count(*) FROM expire_due_holds(10)"));
        assertEquals(List.of(List.of("10", "5", "3", "2")), books(url, product));
        return product;
    }

    private static String reserve(String product, String shopper, int quantity, long ttlMillis) {
        return "SELECT outcome FROM reserve_checked('%s', '%s', %d, %d)".formatted(product, shopper, quantity,
                ttlMillis);
    }

    /** reserve_checked since V10: the hold's max lifetime is its fifth argument, an admission's turn its sixth. */
    private static String reserveAtHead(String product, String shopper, int quantity) {
        return "SELECT outcome FROM reserve_checked('%s', '%s', %d, 3600000, 10800000, 10)".formatted(product, shopper,
                quantity);
    }

    private static List<List<String>> books(String url, String product) throws SQLException {
        return rows(url, "SELECT total_stock, available_stock, active, completed FROM stock_books WHERE product_id = '"
                + product + "'");
    }

    /**
     * Every row of the tables that hold stock and holds, and the books, in a stable order. Products and holds by the
     * columns V5 knew (V6 adds two to holds, checked on their own; V7 the waiting room's settings to products).
     */
    private static List<List<String>> contents(String url) throws SQLException {
        List<List<String>> contents = new ArrayList<>();
        contents.addAll(rows(url, "SELECT (p.id, p.sku, p.name, p.description, p.price_cents, p.currency, p.image_url, "
                + "p.total_stock, p.stock_version, p.created_at, p.updated_at, p.stripes, p.sale_starts_at, p.sale_ends_at, "
                + "p.max_per_shopper)::text FROM products p ORDER BY id"));
        contents.addAll(rows(url, "SELECT s::text FROM stock_stripes s ORDER BY product_id, stripe"));
        contents.addAll(rows(url, "SELECT (h.id, h.product_id, h.shopper_id, h.quantity, h.status, h.price_cents, "
                + "h.created_at, h.expires_at, h.ended_at, h.stripe)::text FROM holds h ORDER BY id"));
        contents.addAll(rows(url, "SELECT b::text FROM stock_books b ORDER BY product_id"));
        return contents;
    }

    private static List<String> repeatableFiles() throws IOException {
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> REPEATABLE.matcher(name).matches())
                    .sorted().toList();
        }
    }

    private static List<String> appliedRepeatables(String url) throws SQLException {
        return rows(url, "SELECT script FROM flyway_schema_history WHERE version IS NULL AND success ORDER BY script")
                .stream().map(row -> row.get(0)).toList();
    }

    private static String functionOf(String repeatableFile) {
        Matcher matcher = REPEATABLE.matcher(repeatableFile);
        assertTrue(matcher.matches(), repeatableFile);
        return matcher.group(1);
    }

    /** The text between the dollar quotes: what PostgreSQL stores as the function's source. */
    private static String bodyOf(String repeatableFile) throws IOException {
        String sql = Files.readString(MIGRATIONS.resolve(repeatableFile));
        return sql.substring(sql.indexOf("$$") + 2, sql.lastIndexOf("$$"));
    }

    /** Each function of the public schema and the file its comment names as its home. */
    private static Map<String, String> homesNamedInTheDatabase(String url) throws SQLException {
        Map<String, String> homes = new TreeMap<>();
        for (List<String> row : rows(url, """
                SELECT proname, substring(obj_description(oid, 'pg_proc') FROM 'R__[a-z_]+\\.sql') FROM pg_proc
                WHERE pronamespace = 'public'::regnamespace AND obj_description(oid, 'pg_proc') IS NOT NULL""")) {
            homes.put(row.get(0), row.get(1));
        }
        return homes;
    }

    private static Map<String, String> functionDefinitions(String url) throws SQLException {
        Map<String, String> definitions = new TreeMap<>();
        for (List<String> row : rows(url, """
                SELECT proname, pg_get_functiondef(oid) FROM pg_proc
                WHERE pronamespace = 'public'::regnamespace AND prokind IN ('f', 'p')""")) {
            definitions.put(row.get(0), row.get(1));
        }
        return definitions;
    }

    private static String createDatabase(String name) throws SQLException {
        execute(postgres.jdbcUrl(), "CREATE DATABASE " + name);
        return "jdbc:postgresql://localhost:" + postgres.port() + "/" + name;
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, LocalPostgres.USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String single(String url, String sql) throws SQLException {
        List<List<String>> rows = rows(url, sql);
        assertEquals(1, rows.size(), sql);
        return rows.get(0).get(0);
    }

    private static List<List<String>> rows(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, LocalPostgres.USER, "");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            List<List<String>> rows = new ArrayList<>();
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> row = new ArrayList<>(columns);
                for (int column = 1; column <= columns; column++) {
                    row.add(result.getString(column));
                }
                rows.add(row);
            }
            return rows;
        }
    }
}

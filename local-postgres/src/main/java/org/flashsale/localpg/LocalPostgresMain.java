package org.flashsale.localpg;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a local PostgreSQL until it is stopped (Ctrl-C or SIGTERM); used by the run command when no database is
 * configured. Its data stays in {@code FLASHSALE_LOCAL_PG_DIR} between runs. Durable (commits reach the disk) unless
 * {@code FLASHSALE_LOCAL_PG_DURABLE=false}; {@code FLASHSALE_LOCAL_PG_MAX_CONNECTIONS} (default 300) sets how many
 * backends it allows.
 */
public final class LocalPostgresMain {

    private LocalPostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        Path dataDir = Path.of(env.getOrDefault("FLASHSALE_LOCAL_PG_DIR", ".data/postgres")).toAbsolutePath();
        int port = Integer.parseInt(env.getOrDefault("FLASHSALE_LOCAL_PG_PORT", "55432"));

        boolean durable = !"false".equalsIgnoreCase(env.getOrDefault("FLASHSALE_LOCAL_PG_DURABLE", "true"));
        int maxConnections = Integer.parseInt(env.getOrDefault("FLASHSALE_LOCAL_PG_MAX_CONNECTIONS",
                String.valueOf(LocalPostgres.DEFAULT_MAX_CONNECTIONS)));

        LocalPostgres postgres = LocalPostgres.start(dataDir, port, true,
                durable ? LocalPostgres.Durability.DURABLE : LocalPostgres.Durability.FAST, maxConnections);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("local PostgreSQL did not stop cleanly: " + e.getMessage());
            }
            stopped.countDown();
        }));
        System.out.println("local PostgreSQL ready at " + postgres.jdbcUrl() + " (data in " + dataDir + ", "
                + (durable ? "durable" : "fsync and synchronous_commit off") + ")");
        stopped.await();
    }
}

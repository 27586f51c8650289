package org.flashsale.inventory.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/** What the repositories share to run a statement: statements kept as files, the first row of a guarded one. */
public final class Rows {

    private Rows() {
    }

    /** A statement kept in src/main/resources/sql (comment lines dropped, so pgbench can run it on one line too). */
    public static String sql(String name) {
        try (InputStream in = Rows.class.getResourceAsStream("/sql/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing sql/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.strip().startsWith("--"))
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first row mapped, or null when the statement matched nothing (a guard that did not pass). */
    public static <T> T firstOrNull(RowSet<Row> rows, Function<Row, T> mapper) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? mapper.apply(iterator.next()) : null;
    }
}

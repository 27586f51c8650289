package org.flashsale.inventory.repository;

import java.util.function.Function;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

final class Rows {

    private Rows() {
    }

    /** The first row mapped, or null when the statement matched nothing (a guard that did not pass). */
    static <T> T firstOrNull(RowSet<Row> rows, Function<Row, T> mapper) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? mapper.apply(iterator.next()) : null;
    }
}

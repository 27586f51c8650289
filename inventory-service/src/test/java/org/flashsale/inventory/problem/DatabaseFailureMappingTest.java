package org.flashsale.inventory.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.SocketException;
import java.sql.SQLException;

import jakarta.ws.rs.core.Response;

import org.hibernate.HibernateException;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.CompositeException;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

import org.flashsale.inventory.http.problem.Problem;
import org.flashsale.inventory.http.problem.ProblemMapper;

/**
 * How the ways a lost database surfaces become 503 DATABASE_UNAVAILABLE, and nothing else does. That Quarkus sends each
 * of them to this mapper is DatabaseFailureResponseTest's part.
 */
class DatabaseFailureMappingTest {

    private final ProblemMapper mapper = new ProblemMapper();

    @Test
    void aLostOrRestartingDatabaseIs503WithRetryAfter() {
        for (Throwable lost : new Throwable[] {
                new IOException("Connection reset by peer"), // the PG client's write to a connection the server reset
                new SocketException("Broken pipe"),
                new PgException("terminating connection due to administrator command", "FATAL", "57P01", null),
                new PgException("the database system is starting up", "FATAL", "57P03", null),
                new PgException("terminating connection due to crash of another server process", "FATAL", "57P02",
                        null),
                // a write reaching a primary just demoted to standby, before the balancer cut the connection
                new PgException("cannot execute INSERT in a read-only transaction", "ERROR", "25006", null),
                new PgException("connection failure", "FATAL", "08006", null),
                new NoStackTraceThrowable("Connection is not active now, current status: CLOSED"),
                new VertxException("Timeout waiting for connection", true) }) { // waited longer than the pool allows
            Response response = mapper.database(lost);
            assertEquals(503, response.getStatus(), lost.toString());
            assertEquals("1", String.valueOf(response.getHeaders().getFirst("Retry-After")), lost.toString());
            assertEquals("DATABASE_UNAVAILABLE", ((Problem) response.getEntity()).code(), lost.toString());
        }
    }

    @Test
    void aLostDatabaseWrappedByHibernateReactiveIs503Too() {
        for (HibernateException lost : new HibernateException[] {
                new HibernateException(new PgException("connection failure", "FATAL", "08006", null)),
                new HibernateException(new IOException("Connection reset by peer")),
                new HibernateException(new SQLException("terminating connection", "57P01")),
                new HibernateException(new SQLException("cannot execute UPDATE in a read-only transaction", "25006")),
                new HibernateException(new HibernateException(new NoStackTraceThrowable("Connection is not active"))) }) {
            Response response = mapper.persistence(lost);
            assertEquals(503, response.getStatus(), lost.toString());
            assertEquals("DATABASE_UNAVAILABLE", ((Problem) response.getEntity()).code(), lost.toString());
        }
        assertEquals(500, mapper.persistence(new HibernateException(
                new PgException("duplicate key", "ERROR", "23505", null))).getStatus());
        assertEquals(500, mapper.persistence(new HibernateException("something else")).getStatus());
    }

    @Test
    void aTransactionThatLostItsConnectionAndThenItsRollbackIs503() {
        Response response = mapper.composite(new CompositeException(
                new NoStackTraceThrowable("Connection is not active now, current status: CLOSED"),
                new IllegalStateException("HR000090: Live transaction detected while closing the connection")));
        assertEquals(503, response.getStatus());
        assertEquals("DATABASE_UNAVAILABLE", ((Problem) response.getEntity()).code());
        assertEquals(503, mapper.composite(new CompositeException(new IllegalStateException("first"),
                ClosedConnectionException.INSTANCE)).getStatus());
        assertEquals(500, mapper.composite(new CompositeException(new IllegalStateException("a bug"),
                new IllegalArgumentException("another"))).getStatus());
    }

    @Test
    void anIoFailureThatIsNotTheDatabaseIsNotReportedAsADatabaseOutage() {
        for (IOException other : new IOException[] { new java.io.UnsupportedEncodingException("bogus-xyz"),
                new java.nio.charset.MalformedInputException(1), new java.io.EOFException("end of stream"),
                new java.io.FileNotFoundException("/nowhere"), new IOException("Stream closed") }) {
            Response response = mapper.database(other);
            assertEquals(500, response.getStatus(), other.toString());
            assertEquals("INTERNAL", ((Problem) response.getEntity()).code(), other.toString());
        }
    }

    @Test
    void anyOtherDatabaseErrorIsStill500() {
        assertEquals(500, mapper.database(new PgException("duplicate key", "ERROR", "23505", null)).getStatus());
        assertEquals(500, mapper.database(new NoStackTraceThrowable("something else")).getStatus());
        assertEquals(500, mapper.database(new VertxException("something else")).getStatus());
    }
}

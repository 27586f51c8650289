package org.flashsale.inventory.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Every ERROR the application logs while it is open (a handler on the root logger, which JBoss LogManager's
 * categories all reach). For tests of what clients send: nothing a client does may be an ERROR.
 */
public final class ErrorLog extends Handler implements AutoCloseable {

    /** Long enough for what a refusal logs after its answer (on the event loop, right after the response). */
    private static final long SETTLE_MILLIS = 50;

    private final List<String> errors = new CopyOnWriteArrayList<>();

    private ErrorLog() {
    }

    public static ErrorLog capture() {
        ErrorLog log = new ErrorLog();
        Logger.getLogger("").addHandler(log);
        return log;
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            errors.add(record.getLoggerName() + ": " + record.getMessage()
                    + (record.getThrown() == null ? "" : " (" + record.getThrown() + ")"));
        }
    }

    /** The ERROR lines so far, after letting what is on its way arrive. */
    public List<String> errors() {
        try {
            Thread.sleep(SETTLE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.copyOf(errors);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}

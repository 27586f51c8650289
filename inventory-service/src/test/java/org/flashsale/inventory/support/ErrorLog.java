package org.flashsale.inventory.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Every ERROR (and WARN) the application logs while it is open (a handler on the root logger, which JBoss LogManager's
 * categories all reach). For tests of what clients send: nothing a client does may be an ERROR.
 */
public final class ErrorLog extends Handler implements AutoCloseable {

    /** Long enough for what a refusal logs after its answer (on the event loop, right after the response). */
    private static final long SETTLE_MILLIS = 50;

    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private ErrorLog() {
    }

    public static ErrorLog capture() {
        ErrorLog log = new ErrorLog();
        Logger.getLogger("").addHandler(log);
        return log;
    }

    @Override
    public void publish(LogRecord record) {
        String line = record.getLoggerName() + ": " + record.getMessage()
                + (record.getThrown() == null ? "" : " (" + record.getThrown() + ")");
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            errors.add(line);
        }
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(line);
        }
    }

    /** The ERROR lines so far, after letting what is on its way arrive. */
    public List<String> errors() {
        settle();
        return List.copyOf(errors);
    }

    /** The WARN and ERROR lines so far, after letting what is on its way arrive. */
    public List<String> warningsAndErrors() {
        settle();
        return List.copyOf(warnings);
    }

    private static void settle() {
        try {
            Thread.sleep(SETTLE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}

package org.flashsale.expiry.upkeep;

import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

/**
 * Logs an upkeep job's failures once per streak, not on every run of a job that runs each second: a WARN when the
 * job starts failing (with why), an INFO when it works again.
 */
public final class FailureStreak {

    private final Logger log;
    private final String failedMessage;
    private final String recoveredMessage;
    private final AtomicBoolean failing = new AtomicBoolean();

    public FailureStreak(Logger log, String failedMessage, String recoveredMessage) {
        this.log = log;
        this.failedMessage = failedMessage;
        this.recoveredMessage = recoveredMessage;
    }

    public void failed(Throwable failure) {
        if (failing.compareAndSet(false, true)) {
            log.warnf("%s: %s", failedMessage, failure.getMessage());
        }
    }

    public void succeeded() {
        if (failing.compareAndSet(true, false)) {
            log.info(recoveredMessage);
        }
    }
}

package org.flashsale.expiry.expiry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/** The safety-net poll, the due-backlog gauge and the per-minute summary line. */
@ApplicationScoped
public class ExpiryScheduler {

    private static final Logger LOG = Logger.getLogger(ExpiryScheduler.class);

    private final ExpiryLoop loop;
    private final HoldExpiryRepository repository;
    private final ExpiryMetrics metrics;

    public ExpiryScheduler(ExpiryLoop loop, HoldExpiryRepository repository, ExpiryMetrics metrics) {
        this.loop = loop;
        this.repository = repository;
        this.metrics = metrics;
    }

    /** A backlog left by downtime is drained at once, not at the first poll. */
    void onStart(@Observes StartupEvent event) {
        loop.runOnce().subscribe().with(ignored -> { });
    }

    @Scheduled(identity = "expiry-poll", every = "{flashsale.expiry.poll-interval}",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return repository.dueBacklog()
                .invoke(metrics::dueBacklog)
                .onFailure().recoverWithNull()
                .chain(loop::runOnce);
    }

    @Scheduled(identity = "expiry-summary", every = "1m", delayed = "1m")
    void summarise() {
        ExpiryMetrics.Window window = metrics.takeWindow();
        LOG.infof("last minute: expired %d holds (%d units) in %d batches, max lag %d ms, due backlog %d",
                window.holds(), window.units(), window.batches(), window.maxLagMillis(), window.dueBacklog());
    }
}

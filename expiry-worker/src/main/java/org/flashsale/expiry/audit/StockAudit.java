package org.flashsale.expiry.audit;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Checks {@code total = available + active + completed} (and no stock below zero) for every product, every
 * {@code flashsale.audit.interval} ({@link AuditConfig}). A violation is logged loudly (product and difference), counted in the
 * {@code flashsale.audit.unbalanced.products} gauge, and turns the {@code stock-books} health check DOWN until the books
 * balance again.
 */
@ApplicationScoped
public class StockAudit {

    private static final Logger LOG = Logger.getLogger(StockAudit.class);

    private final StockAuditRepository repository;
    private final AtomicLong unbalanced = new AtomicLong();
    private final Counter runs;
    private volatile Result last;

    /** The last audit's outcome; {@code imbalances} is empty when every product balanced. */
    public record Result(Instant at, List<Imbalance> imbalances) {
    }

    public StockAudit(StockAuditRepository repository, MeterRegistry registry) {
        this.repository = repository;
        registry.gauge("flashsale.audit.unbalanced.products", unbalanced);
        runs = Counter.builder("flashsale.audit.runs").description("Stock audits completed").register(registry);
    }

    @Scheduled(identity = "stock-audit", every = "{flashsale.audit.interval}", delayed = "5s",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run().onFailure().invoke(e -> LOG.warnf("stock audit could not run: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    public Uni<Result> run() {
        return repository.imbalances().map(imbalances -> {
            for (Imbalance i : imbalances) {
                LOG.errorf("STOCK BOOKS DO NOT BALANCE for product %s: total %d, available %d + active %d + completed %d"
                        + " (difference %+d)", i.productId(), i.total(), i.available(), i.active(), i.completed(),
                        i.difference());
            }
            if (imbalances.isEmpty() && unbalanced.get() > 0) {
                LOG.info("stock books balance again for every product");
            }
            unbalanced.set(imbalances.size());
            runs.increment();
            last = new Result(Instant.now(), imbalances);
            return last;
        });
    }

    /** Null until the first audit has run. */
    public Result last() {
        return last;
    }
}

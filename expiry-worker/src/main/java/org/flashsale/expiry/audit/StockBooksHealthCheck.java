package org.flashsale.expiry.audit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** DOWN while the last stock audit found a product whose books do not balance. */
@Readiness
@ApplicationScoped
public class StockBooksHealthCheck implements HealthCheck {

    private final StockAudit audit;

    public StockBooksHealthCheck(StockAudit audit) {
        this.audit = audit;
    }

    @Override
    public HealthCheckResponse call() {
        StockAudit.Result last = audit.last();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("stock-books").up();
        if (last == null) {
            return response.withData("audited", false).build();
        }
        response.withData("auditedAt", last.at().toString()).withData("unbalancedProducts", last.imbalances().size());
        last.imbalances().stream().limit(10).forEach(i -> response.withData(i.productId().toString(), i.difference()));
        return last.imbalances().isEmpty() ? response.build() : response.down().build();
    }
}

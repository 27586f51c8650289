package org.flashsale.inventory.live.stock;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;

/**
 * Hands the slot {@link WatcherAdmission} reserved for a {@code /ws/stock} upgrade to its connection (its user
 * data), where the socket's open and close find it.
 */
@ApplicationScoped
public class StockAdmissionCheck implements HttpUpgradeCheck {

    private final WatcherAdmission admission;

    public StockAdmissionCheck(WatcherAdmission admission) {
        this.admission = admission;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        WatcherAdmission.Slot slot = admission.claim(context.httpRequest());
        if (slot == null) {
            // Only when the HTTP layer did not see the upgrade: refused without the problem body it would have written.
            return CheckResult.rejectUpgrade(503,
                    Map.of("Retry-After", List.of(Long.toString(WatcherAdmission.RETRY_AFTER_SECONDS))));
        }
        context.userData().put(WatcherAdmission.SLOT, slot);
        return CheckResult.permitUpgrade();
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return StockSocket.class.getName().equals(endpointId);
    }
}

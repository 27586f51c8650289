package org.flashsale.inventory.rest;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import org.flashsale.testsupport.WithPostgres;

/** Every race of {@link ReservationConcurrencyTest} again with the group commit off: each reserve its own statement. */
@QuarkusTest
@WithPostgres
@TestProfile(ReservationConcurrencyBatchingOffTest.BatchingOff.class)
class ReservationConcurrencyBatchingOffTest extends ReservationConcurrencyTest {

    public static class BatchingOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("flashsale.reserve.batching", "false");
        }
    }
}

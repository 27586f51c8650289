package org.flashsale.inventory.rest;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import org.flashsale.testsupport.WithPostgres;

/** {@link AdmissionTurnTest} with the group commit off: each reserve is its own statement. */
@QuarkusTest
@WithPostgres
@TestProfile(AdmissionTurnBatchingOffTest.BatchingOff.class)
class AdmissionTurnBatchingOffTest extends AdmissionTurnTest {

    public static class BatchingOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("flashsale.reserve.batching", "false");
        }
    }
}

package org.flashsale.expiry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * Settings out of their range stop the worker at start-up, each named with its limit, rather than running wrongly;
 * {@code off} is a valid interval for the upkeep jobs.
 */
@QuarkusMainTest
@TestProfile(ConfigLimitsTest.OutOfRange.class)
class ConfigLimitsTest {

    public static class OutOfRange implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("flashsale.idempotency.retention", "5m", "flashsale.expiry.batch-size", "0",
                    "flashsale.stripe-vacuum.interval", "off", "flashsale.idempotency.prune-interval", "off",
                    "flashsale.queue.keeper-interval", "off",
                    "flashsale.queue.admission-factor", "0.5");
        }
    }

    @Test
    @Launch(value = {}, exitCode = 1)
    void theWorkerRefusesToStartAndSaysWhichSettingIsOutOfRange(LaunchResult result) {
        String output = result.getOutput() + result.getErrorOutput();
        assertTrue(output.contains("flashsale.idempotency.retention must be longer than or equal to 10 minutes"), output);
        assertTrue(output.contains("flashsale.expiry.batch-size must be greater than or equal to 1"), output);
        assertTrue(output.contains("flashsale.queue.admission-factor must be greater than or equal to 1.0"), output);
        assertFalse(output.contains("interval"), output);
    }
}

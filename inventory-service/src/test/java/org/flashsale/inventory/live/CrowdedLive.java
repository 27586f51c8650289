package org.flashsale.inventory.live;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** An instance that admits two stock watchers and pushes the operator's figures every 20 ms. */
public class CrowdedLive implements QuarkusTestProfile {

    public static final int MAX_WATCHERS = 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("flashsale.live.max-watchers", Integer.toString(MAX_WATCHERS),
                "flashsale.live.dashboard-interval", "20ms");
    }
}

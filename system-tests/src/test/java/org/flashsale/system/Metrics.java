package org.flashsale.system;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one value from an app's Prometheus page at /q/metrics (on its management interface). */
final class Metrics {

    private Metrics() {
    }

    static double value(App app, String name) {
        return valueIn(new Http(app.managementUrl()).getText("/q/metrics"), name);
    }

    /** The value of {@code name} on a Prometheus page, 0 when the page does not have it yet. */
    static double valueIn(String page, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(page);
        return matcher.find() ? Double.parseDouble(matcher.group(2)) : 0;
    }
}

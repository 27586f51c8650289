package org.flashsale.inventory.product;

import java.util.List;

/** The demo catalogue that {@code POST /api/admin/reset} and the dev profile's first start load. */
final class DemoCatalogue {

    static final List<NewProduct> PRODUCTS = List.of(
            new NewProduct("DROP-SNKR-01", "Aurora Runner — Limited", "Knit running shoe in the launch colourway.",
                    null, 12900, "USD", 50, 1, null, null, null),
            new NewProduct("DROP-HOOD-02", "Midnight Logo Hoodie", "Heavyweight cotton hoodie, numbered run.",
                    null, 8900, "USD", 120, 1, null, null, null),
            new NewProduct("DROP-WTCH-03", "Chrono 38 Collector's Watch", "Automatic movement, 300 made.",
                    null, 45000, "USD", 10, 1, null, null, null),
            new NewProduct("DROP-SERUM-04", "Glow Serum Launch Kit", "Vitamin C serum with the launch-day pouch.",
                    null, 3900, "EUR", 200, 1, null, null, null),
            new NewProduct("DROP-TCKT-05", "Front-Row Concert Ticket", "One seat, rows A–C, non-transferable.",
                    null, 15000, "GBP", 25, 1, null, null, null),
            new NewProduct("DROP-VINYL-06", "Signed First-Press Vinyl", "Hand-signed, first pressing.",
                    null, 4500, "USD", 5, 1, null, null, null),
            new NewProduct("DROP-CONS-07", "Retro Console Mini", "Fifty built-in classics, two controllers.",
                    null, 9900, "USD", 40, 1, null, null, null),
            new NewProduct("DROP-CAP-08", "Collab Cap", "Embroidered six-panel cap.",
                    null, 3500, "USD", 300, 1, null, null, null));

    private DemoCatalogue() {
    }
}

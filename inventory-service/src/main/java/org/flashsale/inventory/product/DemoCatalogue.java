package org.flashsale.inventory.product;

import java.util.List;

/** The demo catalogue that {@code POST /api/admin/reset} and the dev profile's first start load. */
final class DemoCatalogue {

    static final List<NewProduct> PRODUCTS = List.of(
            new NewProduct("DROP-SNKR-01", "Aurora Runner — Limited",
                    "Knit running shoe in the launch colourway: a recycled knit upper, a foam midsole that springs "
                            + "back and a numbered tongue tag. Sizes EU 36-47.",
                    art("aurora-runner"), 12900, "USD", 50, 1, null, null, null),
            new NewProduct("DROP-HOOD-02", "Midnight Logo Hoodie",
                    "Heavyweight 450 g brushed cotton with the embroidered logo; a numbered run of 120, each with its "
                            + "certificate.",
                    art("midnight-hoodie"), 8900, "USD", 120, 1, null, null, null),
            new NewProduct("DROP-WTCH-03", "Chrono 38 Collector's Watch",
                    "A 38 mm steel case, an automatic movement with a 42-hour reserve and a sapphire crystal; 300 "
                            + "made, this drop has 10.",
                    art("chrono-38"), 45000, "USD", 10, 1, null, null, null),
            new NewProduct("DROP-SERUM-04", "Glow Serum Launch Kit",
                    "30 ml of 15% vitamin C serum with the launch-day pouch and a travel-size cleanser.",
                    art("glow-serum"), 3900, "EUR", 200, 1, null, null, null),
            new NewProduct("DROP-TCKT-05", "Front-Row Concert Ticket",
                    "One seat in rows A-C for the opening night, issued in the buyer's name; non-transferable.",
                    art("front-row-ticket"), 15000, "GBP", 25, 1, null, null, null),
            new NewProduct("DROP-VINYL-06", "Signed First-Press Vinyl",
                    "The first pressing on 180 g black vinyl, hand-signed on the sleeve; five copies.",
                    art("first-press-vinyl"), 4500, "USD", 5, 1, null, null, null),
            new NewProduct("DROP-CONS-07", "Retro Console Mini",
                    "Fifty built-in classics, two wired controllers and HDMI out; it saves where you stopped.",
                    art("retro-console"), 9900, "USD", 40, 1, null, null, null),
            new NewProduct("DROP-CAP-08", "Collab Cap",
                    "Embroidered six-panel cap from the collab, adjustable strap, one size.",
                    art("collab-cap"), 3500, "USD", 300, 1, null, null, null));

    private DemoCatalogue() {
    }

    /** The product's artwork, shipped with the shop's page (web/public/art), so the demo needs nothing remote. */
    private static String art(String name) {
        return "/art/" + name + ".svg";
    }
}

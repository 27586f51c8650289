package org.flashsale.inventory.service;

import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

import org.flashsale.inventory.config.FlashSaleConfig;

/** The dev profile's first start: an empty catalogue gets the demo products. */
public class DemoDataSeeder {

    private static final Logger LOG = Logger.getLogger(DemoDataSeeder.class);

    void onStart(@Observes StartupEvent event, FlashSaleConfig config, CatalogService catalog) {
        if (config.seedDemoData() && catalog.seedDemoIfEmpty().await().indefinitely()) {
            LOG.info("seeded the demo catalogue");
        }
    }
}

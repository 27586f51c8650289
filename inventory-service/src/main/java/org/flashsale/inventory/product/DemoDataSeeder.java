package org.flashsale.inventory.product;

import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;

import org.flashsale.inventory.config.FlashSaleConfig;

/** The dev profile's first start: an empty catalogue gets the demo products. */
public class DemoDataSeeder {

    private static final Logger LOG = Logger.getLogger(DemoDataSeeder.class);

    void onStart(@Observes StartupEvent event, FlashSaleConfig config, CatalogService catalog) throws Throwable {
        // Hibernate Reactive's session needs a Vert.x context; start-up observers run on the main thread.
        if (config.seedDemoData() && VertxContextSupport.subscribeAndAwait(catalog::seedDemoIfEmpty)) {
            LOG.info("seeded the demo catalogue");
        }
    }
}

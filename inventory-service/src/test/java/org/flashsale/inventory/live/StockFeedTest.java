package org.flashsale.inventory.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.flashsale.inventory.live.stock.StockFeed;
import org.flashsale.inventory.product.StockChange;

class StockFeedTest {

    private final UUID product = UUID.randomUUID();
    private final StockFeed feed = new StockFeed();

    @Test
    void anOlderReadArrivingAfterANewerOneIsDropped() {
        StockChange newer = new StockChange(product, 4, 10, 8, Instant.EPOCH);
        feed.apply(newer);
        assertEquals(List.of(newer), feed.takeChanged());

        feed.apply(new StockChange(product, 5, 10, 7, Instant.EPOCH));

        assertTrue(feed.takeChanged().isEmpty(), "nothing newer to send");
        assertEquals(newer, feed.newest(new StockChange(product, 6, 10, 3, Instant.EPOCH)));
    }

    @Test
    void aProductHeardToChangeIsReportedOnceUntilTaken() {
        feed.heard(product);
        feed.heard(product);

        assertEquals(List.of(product), List.copyOf(feed.takeHeard()));
        assertTrue(feed.takeHeard().isEmpty());
    }
}

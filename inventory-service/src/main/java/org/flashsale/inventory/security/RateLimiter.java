package org.flashsale.inventory.security;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

import org.flashsale.inventory.http.problem.RateLimitedException;

/**
 * Per-instance token buckets: reserves per shopper and per client address, new shoppers and published draw pages per
 * address. A request over a limit is refused with 429 and {@code Retry-After} before it reaches the database. Buckets
 * that have refilled completely are dropped every minute, so memory follows the number of recently active keys.
 */
@ApplicationScoped
public class RateLimiter {

    private static final long EVICT_EVERY_MILLIS = 60_000;

    private final RateLimitConfig config;
    private final Vertx vertx;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(RateLimitConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    void startEvicting(@Observes StartupEvent event) {
        vertx.setPeriodic(EVICT_EVERY_MILLIS, id -> evictIdle());
    }

    /** Throws {@link RateLimitedException} when this shopper or this address reserves too often. */
    public void reserve(UUID shopperId, String address) {
        take("reserve:shopper:" + shopperId, config.reservePerShopper(), "reserves for this shopper");
        take("reserve:address:" + address, config.reservePerAddress(), "reserves from this address");
    }

    /** Throws {@link RateLimitedException} when this address creates shoppers too often. */
    public void newShopper(String address) {
        take("shoppers:address:" + address, config.shoppersPerAddress(), "new shoppers from this address");
    }

    /** Throws {@link RateLimitedException} when this address reads pages of the published draw too often. */
    public void drawPage(String address) {
        take("draw:address:" + address, config.drawPagesPerAddress(), "draw pages read from this address");
    }

    private void take(String key, double perSecond, String what) {
        if (!config.enabled()) {
            return;
        }
        long now = System.nanoTime();
        long waitNanos = buckets.computeIfAbsent(key, k -> new Bucket(perSecond, config.burstSeconds(), now))
                .take(now);
        if (waitNanos > 0) {
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999L));
            throw new RateLimitedException("too many " + what + ": at most " + BigDecimal.valueOf(perSecond)
                    .stripTrailingZeros().toPlainString() + " per second", seconds);
        }
    }

    void evictIdle() {
        long now = System.nanoTime();
        buckets.values().removeIf(bucket -> bucket.isFull(now));
    }

    /** A token bucket: {@code rate} tokens per second, at most {@code rate * burstSeconds}, starting full. */
    private static final class Bucket {
        private final double perNano;
        private final double capacity;
        private double tokens;
        private long updatedAt;

        Bucket(double perSecond, int burstSeconds, long now) {
            this.perNano = perSecond / 1e9;
            this.capacity = Math.max(1, perSecond * burstSeconds);
            this.tokens = capacity;
            this.updatedAt = now;
        }

        /** Takes one token; returns 0, or the nanoseconds until one is available (nothing taken). */
        synchronized long take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perNano);
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= capacity;
        }

        private void refill(long now) {
            tokens = Math.min(capacity, tokens + (now - updatedAt) * perNano);
            updatedAt = now;
        }
    }
}

package org.flashsale.inventory.service;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.inventory.config.FlashSaleConfig;
import org.flashsale.inventory.config.ReserveConfig;
import org.flashsale.inventory.problem.ErrorCode;
import org.flashsale.inventory.problem.ProblemException;
import org.flashsale.inventory.repository.HoldRepository;
import org.flashsale.inventory.repository.HoldRepository.Reserved;

/**
 * The group commit of a hot product. While a reserve statement for a product is in flight, the reserves of that
 * product that arrive meanwhile wait in the product's lane, in arrival order; when the statement returns, they go
 * together as the next statement (up to {@code flashsale.reserve.max-batch}): one commit, one WAL flush, for all of
 * them. There is no timer: a reserve that finds its product idle goes at once, alone, on the usual one-statement path.
 * A batch whose statement fails (a deadlock victim, an unknown shopper among many, a dropped connection) changed
 * nothing, so each of its reserves is sent again alone and gets its own answer.
 */
@ApplicationScoped
public class ReserveBatcher {

    private static final Duration[] WAIT_BUCKETS = Stream.of(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
            .map(Duration::ofMillis).toArray(Duration[]::new);

    private final Pool pool;
    private final HoldRepository holds;
    private final ReserveConfig config;
    private final Duration holdTtl;
    private final Map<UUID, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final DistributionSummary batchSizes;
    private final Timer queueWaits;

    public ReserveBatcher(Pool pool, HoldRepository holds, ReserveConfig config, FlashSaleConfig flashSale,
            MeterRegistry registry) {
        this.pool = pool;
        this.holds = holds;
        this.config = config;
        this.holdTtl = flashSale.holdTtl();
        this.batchSizes = DistributionSummary.builder("flashsale.reserve.batch.size")
                .description("Reserves per statement (1 = sent alone)")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000).register(registry);
        this.queueWaits = Timer.builder("flashsale.reserve.queue.wait")
                .description("How long a reserve waited for its product's previous statement (0 when it went at once)")
                .serviceLevelObjectives(WAIT_BUCKETS).register(registry);
        registry.gauge("flashsale.reserve.queue.length", waiting);
    }

    /** Reserves in the product's lane: at once when the product is idle, else with the next batch. */
    public Uni<Reserved> reserve(UUID shopperId, UUID productId, int quantity) {
        return Uni.createFrom().emitter(emitter -> submit(productId,
                new Request(shopperId, quantity, emitter, Vertx.currentContext(), System.nanoTime())));
    }

    private void submit(UUID productId, Request request) {
        while (true) {
            Lane lane = lanes.computeIfAbsent(productId, Lane::new);
            synchronized (lane) {
                if (lane.retired) {
                    continue; // emptied and removed meanwhile: take the product's new lane
                }
                if (lane.busy) {
                    if (lane.queue.size() >= config.maxQueue()) {
                        request.fail(new ProblemException(ErrorCode.OVERLOADED,
                                "too many reserves are waiting for this product; try again in a second"));
                    } else {
                        lane.queue.add(request);
                        waiting.incrementAndGet();
                    }
                    return;
                }
                lane.busy = true;
            }
            queueWaits.record(0, TimeUnit.NANOSECONDS);
            send(lane, List.of(request));
            return;
        }
    }

    /** The lane's next batch, or the lane retires when nobody waits. */
    private void next(Lane lane) {
        List<Request> batch;
        synchronized (lane) {
            if (lane.queue.isEmpty()) {
                lane.retired = true;
                lanes.remove(lane.productId, lane);
                return;
            }
            int size = Math.min(lane.queue.size(), config.maxBatch());
            batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                batch.add(lane.queue.poll());
            }
            waiting.addAndGet(-size);
        }
        long now = System.nanoTime();
        batch.forEach(request -> queueWaits.record(now - request.enqueuedAt(), TimeUnit.NANOSECONDS));
        send(lane, batch);
    }

    private void send(Lane lane, List<Request> batch) {
        batchSizes.record(batch.size());
        if (batch.size() == 1) {
            Request request = batch.get(0);
            alone(lane.productId, request).subscribe().with(ignored -> next(lane));
            return;
        }
        holds.reserveBatch(pool, lane.productId, batch.stream().map(Request::shopperId).toList(),
                batch.stream().map(Request::quantity).toList(), holdTtl)
                .subscribe().with(results -> {
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).answer(results.get(i));
                    }
                    next(lane);
                }, failure -> Uni.join().all(batch.stream().map(request -> alone(lane.productId, request)).toList())
                        .andFailFast().subscribe().with(ignored -> next(lane)));
    }

    /** One reserve as its own statement; answers the request and never fails itself. */
    private Uni<Void> alone(UUID productId, Request request) {
        return holds.reserve(pool, request.shopperId(), productId, request.quantity(), holdTtl)
                .onItemOrFailure().transform((reserved, failure) -> {
                    if (failure == null) {
                        request.answer(reserved);
                    } else {
                        request.fail(failure);
                    }
                    return null;
                });
    }

    /** The reserves of one product: at most one statement in flight, the rest waiting in arrival order. */
    private static final class Lane {
        final UUID productId;
        final ArrayDeque<Request> queue = new ArrayDeque<>();
        boolean busy;
        boolean retired;

        Lane(UUID productId) {
            this.productId = productId;
        }
    }

    /** A waiting reserve, answered on the Vert.x context it came from. */
    private record Request(UUID shopperId, int quantity, UniEmitter<? super Reserved> emitter, Context context,
            long enqueuedAt) {

        void answer(Reserved reserved) {
            deliver(() -> emitter.complete(reserved));
        }

        void fail(Throwable failure) {
            deliver(() -> emitter.fail(failure));
        }

        private void deliver(Runnable action) {
            if (context == null || context == Vertx.currentContext()) {
                action.run();
            } else {
                context.runOnContext(ignored -> action.run());
            }
        }
    }
}

package org.flashsale.inventory.hold;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;

import org.flashsale.inventory.config.FlashSaleConfig;
import org.flashsale.inventory.db.DatabaseUnavailable;
import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.ProblemException;

/**
 * The group commit of a hot product. While a reserve statement for a product is in flight, the reserves of that
 * product that arrive meanwhile wait in the product's lane, in arrival order; when the statement returns, they go
 * together as the next statement (up to {@code flashsale.reserve.max-batch}): one commit, one WAL flush, for all of
 * them. There is no timer: a reserve that finds its product idle goes at once, alone, on the usual one-statement path.
 * A batch the database refused (a deadlock victim, an unknown shopper among many: a server error, so the statement
 * rolled back) is sent again one reserve at a time, in arrival order, each getting its own answer. A batch whose
 * outcome is unknown is not sent again: each of its reserves gets that failure (503). That is a dropped connection,
 * and any failure that means the database went away ({@link DatabaseUnavailable}), SQLSTATE and all: a backend
 * terminated while it waited for the synchronous standby (57P01 in a switchover) had already committed locally.
 * A batch of a queued product (waiting room) changes nothing and answers QUEUED: its reserves are then sent all at
 * once, each its own statement checking and using up its shopper's admission (db/migration/R__reserve_checked.sql).
 * A keyed reserve (Idempotency-Key) goes with the batch too, even alone: the statement claims its key and stores its
 * answer with its units. A batch never carries one shopper's key twice: it closes before the repeat, which leads the
 * next batch and finds the first one's answer stored (or, if it was refused, nothing). A keyed reserve sent one by one
 * or at once goes alone in a transaction with its key ({@link IdempotentReserves}).
 */
@ApplicationScoped
public class ReserveBatcher {

    private static final Logger LOG = Logger.getLogger(ReserveBatcher.class);
    private static final Duration[] WAIT_BUCKETS = Stream.of(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
            .map(Duration::ofMillis).toArray(Duration[]::new);

    private final Pool pool;
    private final HoldRepository holds;
    private final IdempotentReserves idempotent;
    private final ReserveConfig config;
    private final Duration holdTtl;
    private final Map<UUID, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final DistributionSummary batchSizes;
    private final Timer queueWaits;
    private final Counter refusedBatches;

    public ReserveBatcher(Pool pool, HoldRepository holds, IdempotentReserves idempotent, ReserveConfig config,
            FlashSaleConfig flashSale, MeterRegistry registry) {
        this.pool = pool;
        this.holds = holds;
        this.idempotent = idempotent;
        this.config = config;
        this.holdTtl = flashSale.holdTtl();
        this.batchSizes = DistributionSummary.builder("flashsale.reserve.batch.size")
                .description("Reserves per statement (1 = sent alone)")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000).register(registry);
        this.queueWaits = Timer.builder("flashsale.reserve.queue.wait")
                .description("How long a reserve waited for its product's previous statement (0 when it went at once)")
                .serviceLevelObjectives(WAIT_BUCKETS).register(registry);
        this.refusedBatches = Counter.builder("flashsale.reserve.batch.refused")
                .description("Batch statements the database refused, whose reserves were then sent one by one")
                .register(registry);
        registry.gauge("flashsale.reserve.queue.length", waiting);
    }

    /** Reserves in the product's lane (key: null without one): at once when the product is idle, else batched. */
    public Uni<Reserved> reserve(UUID shopperId, UUID productId, int quantity, IdempotencyKey key) {
        return Uni.createFrom().emitter(emitter -> {
            BatchedReserve request = new BatchedReserve(shopperId, quantity, key, emitter, Vertx.currentContext(),
                    System.nanoTime(), new AtomicBoolean());
            emitter.onTermination(() -> request.done().set(true)); // answered, or its client went away
            submit(productId, request);
        });
    }

    private void submit(UUID productId, BatchedReserve request) {
        while (true) {
            Lane lane = lanes.computeIfAbsent(productId, Lane::new);
            boolean queued;
            synchronized (lane) {
                if (lane.retired) {
                    continue; // emptied and removed meanwhile: take the product's new lane
                }
                queued = lane.busy;
                if (queued && lane.queue.size() < config.maxQueue()) {
                    lane.queue.add(request);
                    waiting.incrementAndGet();
                    return;
                }
                lane.busy = true;
            }
            if (queued) {
                request.fail(new ProblemException(ErrorCode.OVERLOADED,
                        "too many reserves are waiting for this product; try again in a second"));
                return;
            }
            queueWaits.record(0, TimeUnit.NANOSECONDS);
            send(lane, List.of(request));
            return;
        }
    }

    /** The lane's next batch (skipping reserves whose client went away), or the lane retires when nobody waits. */
    private void next(Lane lane) {
        List<BatchedReserve> batch = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        synchronized (lane) {
            while (batch.size() < config.maxBatch() && !lane.queue.isEmpty()) {
                BatchedReserve head = lane.queue.peek();
                if (head.key() != null && !keys.add(head.shopperId() + " " + head.key().key())) {
                    break; // a retry of a key in this batch: it leads the next one, after this one's answer is stored
                }
                BatchedReserve request = lane.queue.poll();
                waiting.decrementAndGet();
                if (!request.done().get()) {
                    batch.add(request);
                }
            }
            if (batch.isEmpty()) {
                lane.retired = true;
                lanes.remove(lane.productId, lane);
                return;
            }
        }
        long now = System.nanoTime();
        batch.forEach(request -> queueWaits.record(now - request.enqueuedAt(), TimeUnit.NANOSECONDS));
        send(lane, batch);
    }

    /** Runs the batch, then the lane's next one, whatever happened to this one. */
    private void send(Lane lane, List<BatchedReserve> batch) {
        batchSizes.record(batch.size());
        Uni.createFrom().deferred(() -> batch.size() == 1 && batch.get(0).key() == null
                ? alone(lane.productId, batch.get(0)) : together(lane.productId, batch))
                .onTermination().invoke(() -> next(lane))
                .subscribe().with(ignored -> {
                }, failure -> LOG.errorf(failure, "reserve batch of product %s", lane.productId));
    }

    private Uni<Void> together(UUID productId, List<BatchedReserve> batch) {
        return holds.reserveBatch(pool, productId, batch.stream().map(BatchedReserve::shopperId).toList(),
                batch.stream().map(BatchedReserve::quantity).toList(), batch.stream().map(BatchedReserve::key).toList(),
                holdTtl)
                .onItemOrFailure().transformToUni((answers, failure) -> {
                    if (failure == null) {
                        if (answers.stream().anyMatch(answer -> answer.outcome() == Outcome.QUEUED)) {
                            return eachAtOnce(productId, batch); // a queued product: each checks its own admission
                        }
                        for (int i = 0; i < batch.size(); i++) {
                            batch.get(i).answer(answers.get(i));
                        }
                        return Uni.createFrom().voidItem();
                    }
                    // A refusal by the statement itself is safe to send again one by one; a lost or demoted
                    // database is not: the batch may have committed before the connection went (a failover).
                    if (failure instanceof PgException refusal && !DatabaseUnavailable.is(refusal)) {
                        refusedBatches.increment();
                        LOG.debugf("batch of %d reserves refused (%s), sending them one by one", batch.size(),
                                refusal.getSqlState());
                        return oneByOne(productId, batch);
                    }
                    batch.forEach(request -> request.fail(failure));
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Void> oneByOne(UUID productId, List<BatchedReserve> batch) {
        return Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndConcatenate(request -> alone(productId, request))
                .collect().last().replaceWithVoid();
    }

    /**
     * A queued product's reserves, each its own statement, all at once (up to the pool): the waiting room already
     * decided who may buy, and admitted shoppers must not wait in line behind each other past their admission.
     */
    private Uni<Void> eachAtOnce(UUID productId, List<BatchedReserve> batch) {
        return Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndMerge(request -> alone(productId, request))
                .collect().last().replaceWithVoid();
    }

    /** One reserve as its own statement (with its key: a transaction); answers the request and never fails itself. */
    private Uni<Void> alone(UUID productId, BatchedReserve request) {
        return (request.key() == null ? holds.reserve(pool, request.shopperId(), productId, request.quantity(), holdTtl)
                : idempotent.reserveOnce(request.shopperId(), request.key(), productId, request.quantity(), holdTtl))
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
        final ArrayDeque<BatchedReserve> queue = new ArrayDeque<>();
        boolean busy;
        boolean retired;

        Lane(UUID productId) {
            this.productId = productId;
        }
    }
}

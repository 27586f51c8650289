package org.flashsale.inventory.queue;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.inventory.audit.AdminAction;
import org.flashsale.inventory.audit.AuditRepository;
import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.ProblemException;
import org.flashsale.inventory.shopper.UnknownShopper;
import org.flashsale.live.LivePublisher;

/**
 * The waiting room for shoppers: join a queued product's queue, see one's place, leave; the public status. And the
 * operator's pause and resume of its admissions, recorded in the audit log in the same transaction.
 */
@ApplicationScoped
public class QueueService {

    private static final long SECONDS_PER_RATE_WINDOW = 60;

    private final Pool pool;
    private final QueueRepository queues;
    private final LivePublisher live;
    private final AuditRepository audit;

    public QueueService(Pool pool, QueueRepository queues, LivePublisher live, AuditRepository audit) {
        this.pool = pool;
        this.queues = queues;
        this.live = live;
        this.audit = audit;
    }

    /** The ticket after joining, and whether this call joined (false: the shopper was in already). */
    public record Joined(QueueTicket ticket, boolean created) {
    }

    public Uni<Joined> join(UUID shopperId, UUID productId) {
        return queues.join(pool, productId, shopperId)
                .onFailure(UnknownShopper::isCause).transform(UnknownShopper::problem)
                .onItem().ifNull().failWith(() -> productNotFound(productId))
                .chain(join -> switch (join.outcome()) {
                    case NOT_QUEUED -> throw new ProblemException(ErrorCode.NOT_QUEUED,
                            "this product has no waiting room: reserve it directly");
                    case NOT_OPEN_YET -> throw new ProblemException(ErrorCode.QUEUE_NOT_OPEN,
                            "the queue opens at " + join.opensAt(), Map.of("queueOpensAt", join.opensAt()));
                    case CLOSED -> throw new ProblemException(ErrorCode.QUEUE_CLOSED,
                            "the queue is closed: the product sold out or its sale ended");
                    case JOINED, ALREADY_IN -> ticket(shopperId, productId)
                            .map(ticket -> new Joined(ticket, join.outcome() == JoinOutcome.JOINED));
                });
    }

    public Uni<QueueTicket> ticket(UUID shopperId, UUID productId) {
        return queues.entry(pool, productId, shopperId).chain(entry -> entry != null
                ? Uni.createFrom().item(ticketOf(entry))
                : queues.status(pool, productId).map(status -> {
                    if (status == null) {
                        throw productNotFound(productId);
                    }
                    throw new ProblemException(ErrorCode.NOT_IN_QUEUE,
                            "you are not in this product's queue: join it with POST /api/products/" + productId
                                    + "/queue");
                }));
    }

    /**
     * Leaves the queue (nothing happens when not in it, or when the entry is finished). A place given up moves those
     * behind it forward, so the product's queue is announced (after the delete committed).
     */
    public Uni<Void> leave(UUID shopperId, UUID productId) {
        return queues.leave(pool, productId, shopperId).chain(left -> {
            if (left) {
                live.queue(productId);
                return Uni.createFrom().voidItem();
            }
            return status(productId).replaceWithVoid();
        });
    }

    public Uni<QueueStatus> status(UUID productId) {
        return queues.status(pool, productId).onItem().ifNull().failWith(() -> productNotFound(productId));
    }

    /**
     * Pauses ({@code paused} true) or resumes the product's admissions: once this answers, no keeper run admits anyone
     * until the resume. 409 NOT_QUEUED for a product without a waiting room (nothing recorded).
     */
    public Uni<QueueStatus> pause(UUID productId, boolean paused) {
        return pool.withTransaction(connection -> audit.fieldsBefore(connection, productId)
                        .chain(before -> queues.pause(connection, productId, paused).call(queued -> {
                            if (queued == null) {
                                throw productNotFound(productId);
                            }
                            if (!queued) {
                                throw new ProblemException(ErrorCode.NOT_QUEUED, "this product has no waiting room");
                            }
                            return audit.record(connection, paused ? AdminAction.PAUSE : AdminAction.RESUME,
                                    productId, before);
                        })))
                .invoke(() -> live.queue(productId))
                .chain(() -> status(productId));
    }

    /** A page of the published draw: its places from position {@code from} on, with their keys. */
    public Uni<QueueDraw> draw(UUID productId, int from, int limit) {
        return queues.draw(pool, productId, from, limit).onItem().ifNull().failWith(() -> productNotFound(productId));
    }

    /**
     * The estimated wait: the shoppers ahead at the rate of the last minute's admissions. Admissions follow the stock,
     * so it is a guess that holds while units keep coming back at the same pace. The REST answer and the live push
     * (/ws/shopper) are both made here.
     */
    public static QueueTicket ticketOf(Entry entry) {
        Long wait = null;
        if (entry.ahead() != null && entry.ahead() == 0) {
            wait = 0L;
        } else if (entry.ahead() != null && entry.admittedLastMinute() != null && entry.admittedLastMinute() > 0) {
            wait = (entry.ahead() * SECONDS_PER_RATE_WINDOW + entry.admittedLastMinute() - 1) / entry.admittedLastMinute();
        }
        return new QueueTicket(entry.productId(), entry.state(), entry.position(), entry.ahead(), wait,
                entry.state() == QueueTicket.QueueState.ADMITTED ? entry.admissionExpiresAt() : null,
                entry.joinedAt());
    }

    private static ProblemException productNotFound(UUID id) {
        return new ProblemException(ErrorCode.PRODUCT_NOT_FOUND, "no product with id " + id);
    }
}

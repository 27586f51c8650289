package org.flashsale.inventory.hold;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.inventory.config.FlashSaleConfig;
import org.flashsale.inventory.db.SqlStates;
import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.ProblemException;
import org.flashsale.inventory.shopper.UnknownShopper;
import org.flashsale.live.HoldEvent.Change;
import org.flashsale.live.HoldEvent;
import org.flashsale.live.HoldStatus;
import org.flashsale.live.LivePublisher;
import org.flashsale.live.Purchase;

/** Reserve, complete and cancel holds; when a guarded statement does not apply, explain why with a problem. */
@ApplicationScoped
public class ReservationService {

    /** How often a statement PostgreSQL aborted to break a deadlock is run again. */
    private static final int DEADLOCK_RETRIES = 3;

    private final Pool pool;
    private final HoldRepository holds;
    private final IdempotentReserves idempotent;
    private final ReserveBatcher batcher;
    private final boolean batching;
    private final FlashSaleConfig config;
    private final LivePublisher live;
    private final HoldsGrowth growth;

    public ReservationService(Pool pool, HoldRepository holds, IdempotentReserves idempotent, ReserveBatcher batcher, ReserveConfig reserveConfig, FlashSaleConfig config,
            LivePublisher live, HoldsGrowth growth) {
        this.pool = pool;
        this.holds = holds;
        this.idempotent = idempotent;
        this.batcher = batcher;
        this.batching = reserveConfig.batching();
        this.config = config;
        this.live = live;
        this.growth = growth;
    }

    /**
     * A reserve's outcome: {@code created} is false when it merged into the shopper's active hold; {@code replayed}
     * when an Idempotency-Key answered it from the first request's record (nothing changed).
     */
    public record ReserveResult(Hold hold, boolean created, boolean replayed) {
    }

    public Uni<ReserveResult> reserve(UUID shopperId, UUID productId, int quantity, String idempotencyKey) {
        if (quantity > config.maxPerRequest()) {
            throw new ProblemException(ErrorCode.VALIDATION,
                    "quantity must be at most " + config.maxPerRequest() + " per request",
                    Map.of("maxPerRequest", config.maxPerRequest()));
        }
        IdempotencyKey key = idempotencyKey == null ? null : IdempotencyKey.of(idempotencyKey, productId, quantity);
        return explain(Uni.createFrom().deferred(() -> statement(shopperId, productId, quantity, key)), productId,
                quantity)
                .onFailure(ReservationService::isDeadlock).retry().atMost(DEADLOCK_RETRIES)
                .onFailure(UnknownShopper::isCause).transform(UnknownShopper::problem)
                .invoke(result -> announce(shopperId, result))
                .invoke(result -> {
                    if (result.created() && !result.replayed()) {
                        growth.created();
                    }
                });
    }

    /**
     * With the product's next batch (the group commit; a keyed reserve's key is claimed and answered in the same
     * statement), or alone when batching is off: one statement, or a transaction with the key's claim and answer.
     */
    private Uni<Reserved> statement(UUID shopperId, UUID productId, int quantity, IdempotencyKey key) {
        if (batching) {
            return batcher.reserve(shopperId, productId, quantity, key);
        }
        return key == null ? holds.reserve(pool, shopperId, productId, quantity, config.holdTtl())
                : idempotent.reserveOnce(shopperId, key, productId, quantity, config.holdTtl());
    }

    /** The reserve's answer: the hold, or the refusal as a problem. */
    private Uni<ReserveResult> explain(Uni<Reserved> statement, UUID productId, int quantity) {
        return statement
                .flatMap(reserved -> switch (reserved.outcome()) {
                    case RESERVED -> Uni.createFrom().item(new ReserveResult(reserved.hold(), !reserved.merged(), false));
                    case REPLAYED -> Uni.createFrom().item(
                            new ReserveResult(reserved.hold(), !reserved.merged(), true));
                    case KEY_REUSED -> throw new ProblemException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                            "this Idempotency-Key was used for another request");
                    case NOT_FOUND -> throw new ProblemException(ErrorCode.PRODUCT_NOT_FOUND, "no product with id " + productId);
                    case OUT_OF_STOCK -> throw new ProblemException(ErrorCode.OUT_OF_STOCK,
                            reserved.available() == 0 ? "sold out"
                                    : "only " + reserved.available() + " left, " + quantity + " requested",
                            Map.of("availableStock", reserved.available()));
                    case LIMIT_EXCEEDED -> throw new ProblemException(ErrorCode.LIMIT_EXCEEDED,
                            "at most " + reserved.remaining() + " more for you: this product is limited per shopper",
                            Map.of("remaining", reserved.remaining()));
                    case TURN_LIMIT_EXCEEDED -> throw new ProblemException(ErrorCode.LIMIT_EXCEEDED,
                            "at most " + reserved.remaining() + " more for you: an admission from the waiting room is "
                                    + "one turn of up to " + config.maxPerRequest() + " units (or the limit per "
                                    + "shopper, if lower)",
                            Map.of("remaining", reserved.remaining()));
                    case SALE_NOT_ACTIVE -> throw saleNotActive(reserved.window());
                    case NOT_ADMITTED -> throw notAdmitted(productId, reserved.place());
                    case QUEUED -> throw new IllegalStateException("a queued batch answer reached a reserve");
                });
    }

    /**
     * Refusal outside the sale window, saying when it opens or that it has ended: both decided by the statement that
     * refused, on the window it read and the database's clock.
     */
    private static ProblemException saleNotActive(SaleWindow sale) {
        Map<String, Object> window = new LinkedHashMap<>();
        if (sale.startsAt() != null) {
            window.put("saleStartsAt", sale.startsAt());
        }
        if (sale.endsAt() != null) {
            window.put("saleEndsAt", sale.endsAt());
        }
        return new ProblemException(ErrorCode.SALE_NOT_ACTIVE,
                sale.ended() ? "the sale ended at " + sale.endsAt() : "the sale opens at " + sale.startsAt(), window);
    }

    /** Refusal of a queued product to a shopper without an open admission, with their place when they have one. */
    private static ProblemException notAdmitted(UUID productId, QueuePlace place) {
        if (place == null) {
            return new ProblemException(ErrorCode.NOT_ADMITTED, "this product sells through its waiting room: join "
                    + "it with POST /api/products/" + productId + "/queue and reserve once admitted");
        }
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("queueState", place.state());
        if (place.position() != null) {
            members.put("position", place.position());
        }
        return new ProblemException(ErrorCode.NOT_ADMITTED, switch (place.state()) {
            case "WAITING" -> place.position() == null ? "you are in the queue; your place is being drawn"
                    : "you are number " + place.position() + " in the queue; not admitted yet";
            case "LAPSED" -> "your admission lapsed before you reserved";
            case "RESERVED" -> "your admission was used by an earlier reserve";
            default -> "the queue is closed: sold out";
        }, members);
    }

    /** After the commit: the product's stock changed (for every watcher), the hold for its shopper. */
    private void announce(UUID shopperId, ReserveResult result) {
        if (!result.replayed()) {
            live.stock(result.hold().productId());
            live.hold(holdEvent(result.created() ? Change.CREATED : Change.EXTENDED, shopperId, result.hold()));
        }
    }

    private static HoldEvent holdEvent(Change change, UUID shopperId, Hold hold) {
        return new HoldEvent(change, hold.id(), shopperId, hold.productId(), hold.quantity(), hold.status(),
                hold.expiresAt(), hold.endedAt());
    }

    /** Complete (mock payment). Completing a completed hold answers the same; a hold past its expiry cannot be. */
    public Uni<Hold> complete(UUID shopperId, UUID holdId) {
        return holds.complete(pool, shopperId, holdId).map(completion -> {
            Found found = completion == null ? null : completion.found();
            Hold hold = existing(found, holdId);
            if (completion.paidNow()) {
                announceCompleted(shopperId, new Completed(hold, completion.buyer()));
                return hold;
            }
            if (hold.status() == HoldStatus.COMPLETED) {
                return hold;
            }
            if (hold.status() == HoldStatus.EXPIRED || found.overdue() && hold.status() == HoldStatus.ACTIVE) {
                throw new ProblemException(ErrorCode.HOLD_EXPIRED, "the hold expired at " + hold.expiresAt(),
                        Map.of("holdStatus", HoldStatus.EXPIRED));
            }
            throw notActive(hold);
        });
    }

    /** Tells the shopper's tabs and the activity feed of a hold just paid (after its transaction committed). */
    public void announceCompleted(UUID shopperId, Completed completed) {
        Hold hold = completed.hold();
        live.hold(holdEvent(Change.COMPLETED, shopperId, hold));
        live.purchase(new Purchase(hold.productId(), completed.buyer(), hold.quantity(), hold.endedAt()));
    }

    /** Cancel (release): the stock goes back exactly once; cancelling a cancelled hold answers the same. */
    public Uni<Hold> cancel(UUID shopperId, UUID holdId) {
        return holds.cancel(pool, shopperId, holdId)
                .onFailure(ReservationService::isDeadlock).retry().atMost(DEADLOCK_RETRIES)
                .invoke(cancelled -> {
                    if (cancelled != null) {
                        live.stock(cancelled.productId());
                        live.hold(holdEvent(Change.CANCELLED, shopperId, cancelled));
                    }
                })
                .onItem().ifNull().switchTo(() -> holds.find(pool, shopperId, holdId).map(found -> {
                    Hold hold = existing(found, holdId);
                    if (hold.status() == HoldStatus.CANCELLED) {
                        return hold;
                    }
                    throw notActive(hold);
                }));
    }

    public Uni<Hold> get(UUID shopperId, UUID holdId) {
        return holds.find(pool, shopperId, holdId).map(found -> existing(found, holdId));
    }

    public Uni<Page> list(UUID shopperId, HoldStatus status, int page, int size) {
        return holds.list(pool, shopperId, status, page, size);
    }

    private static Hold existing(Found found, UUID holdId) {
        if (found == null) {
            throw new ProblemException(ErrorCode.HOLD_NOT_FOUND, "no hold with id " + holdId);
        }
        return found.hold();
    }

    private static ProblemException notActive(Hold hold) {
        return new ProblemException(ErrorCode.HOLD_NOT_ACTIVE, "the hold is " + hold.status(),
                Map.of("holdStatus", hold.status()));
    }

    /**
     * A reserve that merges into a hold created after it began (two reserves of one shopper and product at once, or
     * one racing that hold's cancel) can lock stock, then the hold, while the other locks them the other way round.
     * PostgreSQL then aborts one statement as a whole, so nothing of it happened and running it again is safe.
     */
    private static boolean isDeadlock(Throwable failure) {
        return SqlStates.is(failure, SqlStates.DEADLOCK_DETECTED);
    }
}

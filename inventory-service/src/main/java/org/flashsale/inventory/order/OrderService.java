package org.flashsale.inventory.order;

import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.inventory.db.SqlStates;
import org.flashsale.inventory.hold.Completed;
import org.flashsale.inventory.hold.HoldRepository;
import org.flashsale.inventory.hold.IdempotencyKey;
import org.flashsale.inventory.hold.ReservationService;
import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.ProblemException;

/**
 * The shopper's orders: pay several holds as one, all or none (place_order in the database), and read them back.
 * After an order commits, each paid hold is announced as paying one hold is (the shopper's other tabs, the feed).
 */
@ApplicationScoped
public class OrderService {

    /** Two requests racing with one new key: the loser's insert meets the winner's key, and is asked again. */
    private static final int KEY_RACE_RETRIES = 1;

    private final Pool pool;
    private final OrderRepository orders;
    private final HoldRepository holds;
    private final ReservationService reservations;

    public OrderService(Pool pool, OrderRepository orders, HoldRepository holds, ReservationService reservations) {
        this.pool = pool;
        this.orders = orders;
        this.holds = holds;
        this.reservations = reservations;
    }

    /** The order and whether this call made it (false: a retry answered with the order made before). */
    public record Placed(Order order, boolean created) {
    }

    public Uni<Placed> place(UUID shopperId, UUID[] holdIds, String idempotencyKey) {
        UUID[] distinct = Arrays.stream(holdIds).distinct().sorted().toArray(UUID[]::new);
        IdempotencyKey key = idempotencyKey == null ? null : IdempotencyKey.forRequest(idempotencyKey,
                "POST /api/orders " + Arrays.stream(distinct).map(UUID::toString).collect(Collectors.joining(" ")));
        return orders.place(pool, shopperId, distinct, key == null ? null : key.key(),
                        key == null ? null : key.requestHash())
                .onFailure(failure -> SqlStates.violates(failure, SqlStates.UNIQUE_VIOLATION, "orders_by_key"))
                .retry().atMost(KEY_RACE_RETRIES)
                .chain(placed -> switch (placed.outcome()) {
                    case CREATED -> read(shopperId, placed.orderId())
                            .call(order -> announce(shopperId, order, placed.buyer()))
                            .map(order -> new Placed(order, true));
                    case REPLAYED -> read(shopperId, placed.orderId()).map(order -> new Placed(order, false));
                    case KEY_REUSED -> throw new ProblemException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                            "this Idempotency-Key was used for another order");
                    case NOT_FOUND -> throw new ProblemException(ErrorCode.HOLD_NOT_FOUND,
                            "no hold with id " + placed.holdId(), Map.of("holdId", placed.holdId()));
                    case NOT_ACTIVE -> throw new ProblemException(ErrorCode.HOLD_NOT_ACTIVE,
                            "hold " + placed.holdId() + " is " + placed.holdStatus()
                                    + ": nothing was charged", Map.of("holdId", placed.holdId(),
                                            "holdStatus", placed.holdStatus()));
                });
    }

    public Uni<Order> get(UUID shopperId, UUID orderId) {
        return read(shopperId, orderId);
    }

    public Uni<OrderPage> list(UUID shopperId, int page, int size) {
        return orders.page(pool, shopperId, page, size);
    }

    private Uni<Order> read(UUID shopperId, UUID orderId) {
        return orders.find(pool, shopperId, orderId).onItem().ifNull().failWith(
                () -> new ProblemException(ErrorCode.ORDER_NOT_FOUND, "no order with id " + orderId));
    }

    /** Each paid hold, read back in one statement, announced in the order's line order. */
    private Uni<Void> announce(UUID shopperId, Order order, String buyer) {
        return holds.findAll(pool, shopperId, order.lines().stream().map(Order.Line::holdId).toList())
                .invoke(paid -> paid.forEach(hold ->
                        reservations.announceCompleted(shopperId, new Completed(hold, buyer))))
                .replaceWithVoid();
    }
}

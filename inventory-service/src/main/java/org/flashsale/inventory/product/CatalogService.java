package org.flashsale.inventory.product;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

import org.flashsale.inventory.audit.AdminAction;
import org.flashsale.inventory.audit.AuditRepository;
import org.flashsale.inventory.db.SqlStates;
import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.ProblemException;
import org.flashsale.inventory.product.Activity.ProductActivity;
import org.flashsale.live.LivePublisher;
import org.flashsale.live.Purchase;

/**
 * The catalogue: read products, and the operator's create, update, restock and demo reset. Creating and changing a
 * product's details go through Hibernate Reactive Panache ({@link ProductEntityRepository}); reads with stock, restock
 * and the end of a sale stay SQL on the reactive client ({@link ProductRepository}). Every change is recorded in the
 * audit log in its own transaction ({@link AuditRepository}). Watchers are told after commit.
 */
@ApplicationScoped
public class CatalogService {

    private static final int TOP_PURCHASERS = 5;

    private final Pool pool;
    private final ProductRepository products;
    private final ProductEntityRepository entities;
    private final ActivityRepository activity;
    private final LivePublisher live;
    private final AuditRepository audit;

    public CatalogService(Pool pool, ProductRepository products, ProductEntityRepository entities,
            ActivityRepository activity, LivePublisher live, AuditRepository audit) {
        this.pool = pool;
        this.products = products;
        this.entities = entities;
        this.activity = activity;
        this.live = live;
        this.audit = audit;
    }

    public Uni<List<Product>> list() {
        return products.list(pool);
    }

    /** A product's newest purchases and its top purchasers (404 for an unknown product). */
    public Uni<ProductActivity> activity(UUID id, int limit) {
        return get(id).chain(product -> activity.recent(pool, id, limit)
                .chain(recent -> activity.top(pool, id, TOP_PURCHASERS)
                        .map(top -> new ProductActivity(id, recent, top))));
    }

    /** The newest purchases across the catalogue. */
    public Uni<List<Purchase>> recentPurchases(int limit) {
        return activity.recent(pool, null, limit);
    }

    public Uni<Product> get(UUID id) {
        return products.find(pool, id).onItem().ifNull().failWith(() -> productNotFound(id));
    }

    /** Adds the product; the answer is read back as every read sees it. */
    public Uni<Product> create(NewProduct product) {
        return Panache.withTransaction(() -> entities.create(product).call(id -> Panache.getSession()
                        .chain(session -> audit.record(session, AdminAction.CREATE, id, null))))
                .onFailure(CatalogService::isSaleWindowOutOfOrder).transform(e -> saleWindowOutOfOrder())
                .onFailure(CatalogService::isQueueOpeningOutOfOrder).transform(e -> queueOpeningOutOfOrder())
                .onFailure(e -> SqlStates.violates(e, SqlStates.UNIQUE_VIOLATION, null))
                .transform(e -> new ProblemException(ErrorCode.SKU_TAKEN,
                        "a product with sku '" + product.sku() + "' already exists", Map.of("sku", product.sku())))
                .chain(this::get)
                .invoke(created -> live.stock(created.id()));
    }

    /** Adds stock and/or spreads it over a new number of stripes ({@code stripes} null keeps the count). */
    public Uni<Product> restock(UUID id, int quantity, Integer stripes) {
        return pool.withTransaction(connection -> audit.fieldsBefore(connection, id)
                        .chain(before -> products.restock(connection, id, quantity, stripes)
                                .call(restocked -> restocked == null ? Uni.createFrom().voidItem()
                                        : audit.record(connection, AdminAction.RESTOCK, id, before))))
                .invoke(restocked -> {
                    if (restocked != null) {
                        live.stock(id);
                    }
                })
                .onItem().ifNull().switchTo(() -> products.find(pool, id).map(existing -> {
                    if (existing == null) {
                        throw productNotFound(id);
                    }
                    throw new ProblemException(ErrorCode.STOCK_LIMIT,
                            "total stock may not pass " + ProductRepository.MAX_TOTAL_STOCK,
                            Map.of("totalStock", existing.totalStock()));
                }));
    }

    /** Changes a product's details or sale settings; every watcher is told (a fresh snapshot). */
    public Uni<Product> update(UUID id, ProductChange change) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> audit.fieldsBefore(session, id)
                        .chain(before -> entities.change(id, change).call(found -> !found
                                ? Uni.createFrom().voidItem()
                                : session.flush().chain(() -> audit.record(session, AdminAction.EDIT, id, before))))))
                .onFailure(CatalogService::isSaleWindowOutOfOrder).transform(e -> saleWindowOutOfOrder())
                .onFailure(CatalogService::isQueueOpeningOutOfOrder).transform(e -> queueOpeningOutOfOrder())
                .chain(found -> found ? products.find(pool, id) : Uni.createFrom().nullItem())
                .onItem().ifNull().failWith(() -> productNotFound(id))
                .invoke(live::resync);
    }

    /** Ends the sale now: no reserve succeeds any more; holds already made run their course. */
    public Uni<Product> endSale(UUID id) {
        return pool.withTransaction(connection -> audit.fieldsBefore(connection, id)
                        .chain(before -> products.endSale(connection, id)
                                .call(ended -> ended == null ? Uni.createFrom().voidItem()
                                        : audit.record(connection, AdminAction.END_SALE, id, before))))
                .onItem().ifNull().failWith(() -> productNotFound(id))
                .invoke(live::resync);
    }

    static ProblemException saleWindowOutOfOrder() {
        return new ProblemException(ErrorCode.VALIDATION, "saleStartsAt must be before saleEndsAt");
    }

    private static boolean isSaleWindowOutOfOrder(Throwable failure) {
        return SqlStates.violates(failure, SqlStates.CHECK_VIOLATION, "sale_window_in_order");
    }

    static ProblemException queueOpeningOutOfOrder() {
        String message = "must be before saleStartsAt, which it needs";
        return new ProblemException(ErrorCode.VALIDATION, "queueOpensAt " + message,
                Map.of("violations", List.of(Map.of("field", "queueOpensAt", "message", message))));
    }

    private static boolean isQueueOpeningOutOfOrder(Throwable failure) {
        return SqlStates.violates(failure, SqlStates.CHECK_VIOLATION, "queue_opens_before_sale");
    }

    /**
     * The operator's demo reset: replaces every product, hold and idempotency record with the demo catalogue, in one
     * transaction, recorded in the audit log.
     */
    public Uni<List<Product>> resetToDemo() {
        return replaceWithDemo(true);
    }

    /** Seeds the demo catalogue if there are no products yet (the dev profile's first start; not an operator's). */
    public Uni<Boolean> seedDemoIfEmpty() {
        return list().flatMap(existing -> existing.isEmpty()
                ? replaceWithDemo(false).replaceWith(true)
                : Uni.createFrom().item(false));
    }

    private Uni<List<Product>> replaceWithDemo(boolean audited) {
        return Panache.withTransaction(() -> entities.deleteAllWithHolds()
                .chain(() -> createAll(DemoCatalogue.PRODUCTS))
                .chain(() -> !audited ? Uni.createFrom().voidItem() : Panache.getSession()
                        .chain(session -> audit.record(session, AdminAction.RESET, null, null))))
                .invoke(live::resync)
                .chain(this::list);
    }

    private Uni<Void> createAll(List<NewProduct> newProducts) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (NewProduct product : newProducts) {
            chain = chain.chain(() -> entities.create(product).replaceWithVoid());
        }
        return chain;
    }

    private static ProblemException productNotFound(UUID id) {
        return new ProblemException(ErrorCode.PRODUCT_NOT_FOUND, "no product with id " + id);
    }
}

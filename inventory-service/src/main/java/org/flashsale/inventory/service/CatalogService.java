package org.flashsale.inventory.service;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;

import org.flashsale.inventory.Activity.ProductActivity;
import org.flashsale.inventory.Product;
import org.flashsale.inventory.problem.ErrorCode;
import org.flashsale.inventory.problem.ProblemException;
import org.flashsale.inventory.repository.ActivityRepository;
import org.flashsale.inventory.repository.ProductRepository.NewProduct;
import org.flashsale.inventory.repository.ProductRepository.ProductChange;
import org.flashsale.inventory.repository.ProductRepository;
import org.flashsale.live.LivePublisher;
import org.flashsale.live.Purchase;

/** The catalogue: read products, and the operator's create, restock and demo reset. */
@ApplicationScoped
public class CatalogService {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String CHECK_VIOLATION = "23514";

    private final Pool pool;
    private static final int TOP_PURCHASERS = 5;

    private final ProductRepository products;
    private final ActivityRepository activity;
    private final LivePublisher live;

    public CatalogService(Pool pool, ProductRepository products, ActivityRepository activity, LivePublisher live) {
        this.pool = pool;
        this.products = products;
        this.activity = activity;
        this.live = live;
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

    public Uni<Product> create(NewProduct product) {
        return products.insert(pool, product)
                .invoke(created -> live.stock(created.id()))
                .onFailure(CatalogService::isSaleWindowOutOfOrder).transform(e -> saleWindowOutOfOrder())
                .onFailure(e -> e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState()))
                .transform(e -> new ProblemException(ErrorCode.SKU_TAKEN,
                        "a product with sku '" + product.sku() + "' already exists", Map.of("sku", product.sku())));
    }

    /** Adds stock and/or spreads it over a new number of stripes ({@code stripes} null keeps the count). */
    public Uni<Product> restock(UUID id, int quantity, Integer stripes) {
        return products.restock(pool, id, quantity, stripes)
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
        return products.update(pool, id, change)
                .onFailure(CatalogService::isSaleWindowOutOfOrder).transform(e -> saleWindowOutOfOrder())
                .onItem().ifNull().failWith(() -> productNotFound(id))
                .invoke(live::resync);
    }

    /** Ends the sale now: no reserve succeeds any more; holds already made run their course. */
    public Uni<Product> endSale(UUID id) {
        return products.endSale(pool, id)
                .onItem().ifNull().failWith(() -> productNotFound(id))
                .invoke(live::resync);
    }

    static ProblemException saleWindowOutOfOrder() {
        return new ProblemException(ErrorCode.VALIDATION, "saleStartsAt must be before saleEndsAt");
    }

    private static boolean isSaleWindowOutOfOrder(Throwable failure) {
        return failure instanceof PgException pg && CHECK_VIOLATION.equals(pg.getSqlState())
                && "sale_window_in_order".equals(pg.getConstraint());
    }

    /** Replaces every product, hold and idempotency record with the demo catalogue, in one transaction. */
    public Uni<List<Product>> resetToDemo() {
        return pool.withTransaction(connection -> products.deleteAll(connection)
                .chain(() -> insertAll(connection, DemoCatalogue.PRODUCTS)))
                .invoke(live::resync)
                .chain(this::list);
    }

    /** Seeds the demo catalogue if there are no products yet (the dev profile's first start). */
    public Uni<Boolean> seedDemoIfEmpty() {
        return list().flatMap(existing -> existing.isEmpty()
                ? resetToDemo().replaceWith(true)
                : Uni.createFrom().item(false));
    }

    private Uni<Void> insertAll(SqlClient connection, List<NewProduct> newProducts) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (NewProduct product : newProducts) {
            chain = chain.chain(() -> products.insert(connection, product).replaceWithVoid());
        }
        return chain;
    }

    private static ProblemException productNotFound(UUID id) {
        return new ProblemException(ErrorCode.PRODUCT_NOT_FOUND, "no product with id " + id);
    }
}

package org.flashsale.inventory.service;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;

import org.flashsale.inventory.Product;
import org.flashsale.inventory.problem.ErrorCode;
import org.flashsale.inventory.problem.ProblemException;
import org.flashsale.inventory.repository.ProductRepository.NewProduct;
import org.flashsale.inventory.repository.ProductRepository;
import org.flashsale.live.LivePublisher;

/** The catalogue: read products, and the operator's create, restock and demo reset. */
@ApplicationScoped
public class CatalogService {

    private static final String UNIQUE_VIOLATION = "23505";

    private final Pool pool;
    private final ProductRepository products;
    private final LivePublisher live;

    public CatalogService(Pool pool, ProductRepository products, LivePublisher live) {
        this.pool = pool;
        this.products = products;
        this.live = live;
    }

    public Uni<List<Product>> list() {
        return products.list(pool);
    }

    public Uni<Product> get(UUID id) {
        return products.find(pool, id).onItem().ifNull().failWith(() -> productNotFound(id));
    }

    public Uni<Product> create(NewProduct product) {
        return products.insert(pool, product)
                .invoke(created -> live.stock(created.id()))
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

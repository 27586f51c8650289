package org.flashsale.inventory.product;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/**
 * The catalogue's writes of a product's details (Hibernate Reactive Panache); run them in a transaction. Reads with
 * stock, restock and the end of a sale are {@link ProductRepository}'s SQL.
 */
@ApplicationScoped
public class ProductEntityRepository implements PanacheRepositoryBase<ProductEntity, UUID> {

    /** A new product's stripes, its stock spread evenly over them (the lower stripes get the remainder). */
    private static final String INSERT_STRIPES = """
            INSERT INTO stock_stripes (product_id, stripe, available_stock)
            SELECT p.id, g, p.total_stock / p.stripes + CASE WHEN g < p.total_stock % p.stripes THEN 1 ELSE 0 END
            FROM products p, generate_series(0, p.stripes - 1) g
            WHERE p.id = :id
            """;

    /** Adds the product and its stripes; the new product's id. */
    public Uni<UUID> create(NewProduct product) {
        ProductEntity entity = new ProductEntity();
        entity.sku = product.sku();
        entity.name = product.name();
        entity.description = product.description();
        entity.imageUrl = product.imageUrl();
        entity.priceCents = product.priceCents();
        entity.currency = product.currency();
        entity.totalStock = product.totalStock();
        entity.stripes = (short) product.stripes();
        entity.saleStartsAt = product.saleStartsAt();
        entity.saleEndsAt = product.saleEndsAt();
        entity.maxPerShopper = product.maxPerShopper();
        entity.queue = product.queue();
        entity.queueOpensAt = product.queueOpensAt();
        entity.admissionTtlMillis = product.admissionTtl().toMillis();
        return persistAndFlush(entity)
                .chain(() -> getSession().chain(session -> session.createNativeQuery(INSERT_STRIPES)
                        .setParameter("id", entity.id).executeUpdate()))
                .replaceWith(() -> entity.id);
    }

    /** Applies the change; false when there is no product with this id. */
    public Uni<Boolean> change(UUID id, ProductChange change) {
        return findById(id).map(product -> {
            if (product == null) {
                return false;
            }
            if (change.name() != null) {
                product.name = change.name();
            }
            if (change.description() != null) {
                product.description = change.description();
            }
            if (change.imageUrl() != null) {
                product.imageUrl = change.imageUrl().orElse(null);
            }
            if (change.priceCents() != null) {
                product.priceCents = change.priceCents();
            }
            if (change.saleStartsAt() != null) {
                product.saleStartsAt = change.saleStartsAt().orElse(null);
            }
            if (change.saleEndsAt() != null) {
                product.saleEndsAt = change.saleEndsAt().orElse(null);
            }
            if (change.maxPerShopper() != null) {
                product.maxPerShopper = change.maxPerShopper().orElse(null);
            }
            if (change.queue() != null) {
                product.queue = change.queue();
            }
            if (change.queueOpensAt() != null) {
                product.queueOpensAt = change.queueOpensAt().orElse(null);
            }
            if (change.admissionTtl() != null) {
                product.admissionTtlMillis = change.admissionTtl().toMillis();
            }
            product.updatedAt = Instant.now();
            return true;
        });
    }

    /** Removes every product with its stripes, holds and idempotency records (the demo reset). */
    public Uni<Void> deleteAllWithHolds() {
        return getSession().chain(session -> session
                .createNativeQuery("TRUNCATE order_lines, orders, idempotency_records, holds, queue_entries, "
                        + "product_queues, stock_stripes, products").executeUpdate())
                .replaceWithVoid();
    }
}

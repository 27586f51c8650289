package org.flashsale.inventory;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.CurrentTimestamp;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.SourceType;
import org.hibernate.generator.EventType;

/**
 * A product's details and sale settings, as the catalogue's create and update write them (the products table). Its
 * stock is not here: the stripes and the counters belong to the guarded SQL of the hold transitions and restock, and
 * what clients read is the {@link Product} record (products joined with the product_stock view).
 */
@Entity
@Table(name = "products")
// Only the changed columns are written, so two operators editing different fields at once keep each other's change.
@DynamicUpdate
public class ProductEntity {

    @Id
    @GeneratedValue
    public UUID id;
    @Column(updatable = false)
    public String sku;
    public String name;
    public String description;
    public String imageUrl;
    public long priceCents;
    @Column(updatable = false)
    public String currency;
    @Column(updatable = false)
    public int totalStock;
    @Column(updatable = false)
    public short stripes;
    public Instant saleStartsAt;
    public Instant saleEndsAt;
    public Integer maxPerShopper;
    /** The database's clock, as every other statement on products and stripes uses it. */
    @CurrentTimestamp(event = { EventType.INSERT, EventType.UPDATE }, source = SourceType.DB)
    public Instant updatedAt;
}

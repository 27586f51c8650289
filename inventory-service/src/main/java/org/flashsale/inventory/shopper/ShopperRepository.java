package org.flashsale.inventory.shopper;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/** Anonymous shopper identities and their public display handles. */
@ApplicationScoped
public class ShopperRepository implements PanacheRepositoryBase<ShopperEntity, UUID> {

    /** A new shopper with this handle (run it in a transaction); its id. */
    public Uni<UUID> create(String handle) {
        ShopperEntity shopper = new ShopperEntity();
        shopper.handle = handle;
        return persist(shopper).map(persisted -> persisted.id);
    }

    /** The shopper's handle, or null when this database does not know the shopper. */
    public Uni<String> handle(UUID shopperId) {
        return findById(shopperId).map(shopper -> shopper == null ? null : shopper.handle);
    }
}

package org.flashsale.inventory.shopper;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Anonymous shopper identities: the server picks the id and a display handle, never the client. */
@ApplicationScoped
public class ShopperService {

    private final ShopperRepository shoppers;

    public ShopperService(ShopperRepository shoppers) {
        this.shoppers = shoppers;
    }

    /** A shopper as others may see it: the id stays private, the handle is public. */
    public record Shopper(UUID id, String handle) {
    }

    @WithTransaction
    public Uni<Shopper> create() {
        String handle = Handles.random();
        return shoppers.create(handle).map(id -> new Shopper(id, handle));
    }

    /** The shopper a valid token names; one this database does not know (e.g. after a reset of it) is refused. */
    @WithSession
    public Uni<Shopper> get(UUID id) {
        return shoppers.handle(id).map(handle -> {
            if (handle == null) {
                throw UnknownShopper.problem();
            }
            return new Shopper(id, handle);
        });
    }
}

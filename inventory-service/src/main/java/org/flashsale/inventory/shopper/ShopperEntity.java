package org.flashsale.inventory.shopper;

import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An anonymous shopper identity: the server picks the id and the public display handle. */
@Entity
@Table(name = "shoppers")
public class ShopperEntity {

    @Id
    @GeneratedValue
    public UUID id;
    public String handle;
}

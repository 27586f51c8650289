package org.flashsale.inventory.security;

/** The two kinds of caller: a shopper (signed token) and the operator (admin key). */
public final class Roles {

    public static final String SHOPPER = "shopper";
    public static final String ADMIN = "admin";

    private Roles() {
    }
}

package org.flashsale.inventory.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class ShopperTokensTest {

    private static final String SECRET = "a-test-secret-that-is-long-enough-0123456789";
    private final ShopperTokens tokens = new ShopperTokens(SECRET, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

    @Test
    void aTokenWeIssuedNamesItsShopper() {
        UUID shopper = UUID.randomUUID();
        assertEquals(Optional.of(shopper), tokens.verify(tokens.issue(shopper)));
    }

    @Test
    void tamperedTruncatedOrForeignTokensAreRejected() {
        UUID shopper = UUID.randomUUID();
        String token = tokens.issue(shopper);
        String signature = token.substring(token.lastIndexOf('.') + 1);
        ShopperTokens otherSecret = new ShopperTokens(SECRET + "x", Clock.systemUTC());

        assertTrue(tokens.verify(UUID.randomUUID() + ".0." + signature).isEmpty(), "another shopper id");
        assertTrue(tokens.verify(shopper + ".1." + signature).isEmpty(), "another issue time");
        assertTrue(tokens.verify(token.substring(0, token.length() - 2)).isEmpty(), "truncated");
        assertTrue(tokens.verify(otherSecret.issue(shopper)).isEmpty(), "signed with another secret");
        assertTrue(tokens.verify("").isEmpty());
        assertTrue(tokens.verify("...").isEmpty());
        assertTrue(tokens.verify("not-a-uuid.0." + signature).isEmpty());
        assertTrue(tokens.verify(token + "%%%").isEmpty());
        assertTrue(tokens.verify("x".repeat(10_000)).isEmpty());
    }
}

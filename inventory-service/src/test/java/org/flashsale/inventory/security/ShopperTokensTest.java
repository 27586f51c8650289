package org.flashsale.inventory.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class ShopperTokensTest {

    private static final String SECRET = "a-test-secret-that-is-long-enough-0123456789";
    private static final String OLD_SECRET = "the-secret-we-rotated-away-from-0123456789";
    private static final Duration TTL = Duration.ofDays(30);
    private final ShopperTokens tokens = at(Instant.EPOCH);

    private static ShopperTokens at(Instant now) {
        return new ShopperTokens(SECRET, List.of(OLD_SECRET), TTL, Clock.fixed(now, ZoneOffset.UTC));
    }

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
        ShopperTokens otherSecret = new ShopperTokens(SECRET + "x", List.of(), TTL, Clock.systemUTC());

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

    @Test
    void aTokenExpiresAfterTheTtlAndOneFromTheFutureIsRefused() {
        UUID shopper = UUID.randomUUID();
        String token = tokens.issue(shopper);

        assertEquals(Optional.of(shopper), at(Instant.EPOCH.plus(TTL)).verify(token), "valid up to the TTL");
        assertTrue(at(Instant.EPOCH.plus(TTL).plusSeconds(1)).verify(token).isEmpty(), "expired");
        assertTrue(at(Instant.EPOCH.minus(Duration.ofHours(1))).verify(token).isEmpty(), "issued in the future");
        assertTrue(tokens.verify(shopper + ".99999999999999999999." + token.substring(token.lastIndexOf('.') + 1))
                .isEmpty());
    }

    @Test
    void tokensSignedWithAPreviousSecretStillWorkAndNewOnesUseTheCurrentSecret() {
        UUID shopper = UUID.randomUUID();
        ShopperTokens beforeRotation = new ShopperTokens(OLD_SECRET, List.of(), TTL, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        String oldToken = beforeRotation.issue(shopper);

        assertEquals(Optional.of(shopper), tokens.verify(oldToken));
        String renewed = tokens.issue(shopper);
        assertTrue(beforeRotation.verify(renewed).isEmpty(), "renewed tokens are signed with the new secret");
        assertEquals(Optional.of(shopper), tokens.verify(renewed));
    }
}

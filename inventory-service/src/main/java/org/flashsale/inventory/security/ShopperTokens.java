package org.flashsale.inventory.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.flashsale.inventory.config.FlashSaleConfig;

/**
 * Issues and verifies shopper tokens: {@code <shopperId>.<issuedAtEpochSeconds>.<HMAC-SHA256 signature>}. Verifying
 * is one HMAC over a short string: no database read on the request path. A token is accepted for
 * {@code flashsale.token-ttl} after it was issued, signed with the current secret or one of the previous ones (so the
 * secret can be rotated without logging everyone out).
 */
@ApplicationScoped
public class ShopperTokens {

    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** A token issued this far in the future (a clock skew between instances) is still accepted. */
    private static final Duration SKEW = Duration.ofMinutes(5);

    private final List<ThreadLocal<Mac>> macs;
    private final Duration ttl;
    private final Clock clock;

    @Inject
    public ShopperTokens(FlashSaleConfig config) {
        this(config.tokenSecret(), config.previousTokenSecrets().orElse(List.of()), config.tokenTtl(),
                Clock.systemUTC());
    }

    ShopperTokens(String secret, List<String> previousSecrets, Duration ttl, Clock clock) {
        List<ThreadLocal<Mac>> keys = new ArrayList<>();
        keys.add(macFor(secret));
        previousSecrets.forEach(previous -> keys.add(macFor(previous)));
        this.macs = List.copyOf(keys);
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A fresh token for the shopper, signed with the current secret. */
    public String issue(UUID shopperId) {
        String payload = shopperId + "." + clock.instant().getEpochSecond();
        return payload + "." + ENCODER.encodeToString(sign(macs.get(0), payload));
    }

    /** The shopper a token was issued to, if one of our secrets signed it and it has not expired. */
    public Optional<UUID> verify(String token) {
        int lastDot = token.lastIndexOf('.');
        if (lastDot <= 0 || token.length() > 200) {
            return Optional.empty();
        }
        String payload = token.substring(0, lastDot);
        String encoded = token.substring(lastDot + 1);
        byte[] signature;
        try {
            signature = DECODER.decode(encoded);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!ENCODER.encodeToString(signature).equals(encoded)) {
            // The decoder ignores padding and the spare low bits of the last character: only one spelling is ours.
            return Optional.empty();
        }
        if (macs.stream().noneMatch(mac -> MessageDigest.isEqual(sign(mac, payload), signature))) {
            return Optional.empty();
        }
        int firstDot = payload.indexOf('.');
        try {
            UUID shopperId = UUID.fromString(payload.substring(0, firstDot));
            Instant issuedAt = Instant.ofEpochSecond(Long.parseLong(payload.substring(firstDot + 1)));
            Instant now = clock.instant();
            boolean current = !issuedAt.plus(ttl).isBefore(now) && !issuedAt.isAfter(now.plus(SKEW));
            return current ? Optional.of(shopperId) : Optional.empty();
        } catch (IllegalArgumentException | IndexOutOfBoundsException | DateTimeException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private static byte[] sign(ThreadLocal<Mac> mac, String payload) {
        return mac.get().doFinal(payload.getBytes(StandardCharsets.UTF_8));
    }

    private static ThreadLocal<Mac> macFor(String secret) {
        SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        return ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance(ALGORITHM);
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA256 is not available", e);
            }
        });
    }
}

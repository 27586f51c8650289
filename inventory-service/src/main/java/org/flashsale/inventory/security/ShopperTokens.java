package org.flashsale.inventory.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.flashsale.inventory.config.FlashSaleConfig;

/**
 * Issues and verifies shopper tokens: {@code <shopperId>.<issuedAtEpochSeconds>.<HMAC-SHA256 signature>}. Verifying
 * is one HMAC over a short string: no database read on the request path.
 */
@ApplicationScoped
public class ShopperTokens {

    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Clock clock;
    private final ThreadLocal<Mac> macs;

    @Inject
    public ShopperTokens(FlashSaleConfig config) {
        this(config.tokenSecret(), Clock.systemUTC());
    }

    ShopperTokens(String secret, Clock clock) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.clock = clock;
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    public String issue(UUID shopperId) {
        String payload = shopperId + "." + clock.instant().getEpochSecond();
        return payload + "." + ENCODER.encodeToString(sign(payload));
    }

    /** The shopper a token was issued to, if its signature is ours. */
    public Optional<UUID> verify(String token) {
        int lastDot = token.lastIndexOf('.');
        if (lastDot <= 0 || token.length() > 200) {
            return Optional.empty();
        }
        String payload = token.substring(0, lastDot);
        byte[] signature;
        try {
            signature = DECODER.decode(token.substring(lastDot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(sign(payload), signature)) {
            return Optional.empty();
        }
        int firstDot = payload.indexOf('.');
        try {
            return Optional.of(UUID.fromString(payload.substring(0, firstDot)));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private byte[] sign(String payload) {
        return macs.get().doFinal(payload.getBytes(StandardCharsets.UTF_8));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}

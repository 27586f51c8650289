package org.flashsale.inventory.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

import org.flashsale.inventory.config.FlashSaleConfig;

/** A bearer token is either the admin key or a shopper token we signed; anything else fails authentication. */
@ApplicationScoped
public class BearerTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final byte[] adminKey;
    private final ShopperTokens tokens;

    public BearerTokenIdentityProvider(FlashSaleConfig config, ShopperTokens tokens) {
        this.adminKey = config.adminKey().getBytes(StandardCharsets.UTF_8);
        this.tokens = tokens;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String token = request.getToken().getToken();
        if (MessageDigest.isEqual(adminKey, token.getBytes(StandardCharsets.UTF_8))) {
            return Uni.createFrom().item(identity("admin", Roles.ADMIN));
        }
        return tokens.verify(token)
                .map(shopperId -> Uni.createFrom().item(identity(shopperId.toString(), Roles.SHOPPER)))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException("invalid bearer token")));
    }

    private static SecurityIdentity identity(String name, String role) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(name))
                .addRole(role)
                .build();
    }
}

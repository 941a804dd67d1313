package io.passerelle.issuer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Stores an issued ID token without the citizen's data: only a SHA-256 of its value (enough to find
 * the grant from a logout's {@code id_token_hint}) and its protocol claims ({@code sub}, {@code aud},
 * {@code sid}... which logout checks). The ID token itself, with the released claims (a national
 * number among them), goes to the portal once and is never kept; userinfo computes its answer from
 * the sealed sign-in and the consent instead ({@code IssuerSecurityConfiguration#userInfo}).
 */
public final class MinimisedIdTokens implements OAuth2AuthorizationService {

    private static final String HASHED = "sha256:";
    private static final OAuth2TokenType ID_TOKEN = new OAuth2TokenType(OidcParameterNames.ID_TOKEN);
    /** OIDC Core 2 and the claims Passerelle adds for the protocol; everything else is the citizen's. */
    static final Set<String> PROTOCOL_CLAIMS = Set.of("iss", "sub", "aud", "azp", "exp", "iat", "nbf", "jti",
            "auth_time", "nonce", "acr", "amr", "sid", "at_hash", "c_hash");

    private final OAuth2AuthorizationService delegate;

    public MinimisedIdTokens(OAuth2AuthorizationService delegate) {
        this.delegate = delegate;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        delegate.save(minimised(authorization));
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        delegate.remove(authorization);
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        if (ID_TOKEN.equals(tokenType)) {
            return delegate.findByToken(hash(token), tokenType);
        }
        OAuth2Authorization found = delegate.findByToken(token, tokenType);
        return found != null || tokenType != null ? found : delegate.findByToken(hash(token), null);
    }

    static OAuth2Authorization minimised(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OidcIdToken> issued = authorization.getToken(OidcIdToken.class);
        if (issued == null || issued.getToken().getTokenValue().startsWith(HASHED)) {
            return authorization;
        }
        OidcIdToken token = issued.getToken();
        Map<String, Object> kept = new LinkedHashMap<>();
        token.getClaims().forEach((name, value) -> {
            if (PROTOCOL_CLAIMS.contains(name)) {
                kept.put(name, value);
            }
        });
        OidcIdToken stored = new OidcIdToken(hash(token.getTokenValue()), token.getIssuedAt(), token.getExpiresAt(), kept);
        Map<String, Object> metadata = new LinkedHashMap<>(issued.getMetadata());
        metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, kept);
        return OAuth2Authorization.from(authorization).token(stored, replaced -> {
            replaced.clear();
            replaced.putAll(metadata);
        }).build();
    }

    static String hash(String value) {
        return HASHED + TokenDigest.sha256Hex(value);
    }
}

package io.passerelle.issuer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
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
 *
 * <p>Access and refresh tokens are kept as their SHA-256 too: the portal presents the value, which is
 * hashed to find the grant, and the grant is handed to the server with the presented value in place
 * (so that its introspection and revocation, which match the token by value, work unchanged). A copy
 * of the database then holds no usable bearer token, and a grant's row and its indexes are about 1.7 KB
 * smaller (a signed access token is ~900 characters, indexed). Grants stored before (plain values) are
 * still found by their value until they expire.
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
        if (tokenType == null || OAuth2TokenType.ACCESS_TOKEN.equals(tokenType)
                || OAuth2TokenType.REFRESH_TOKEN.equals(tokenType)) {
            OAuth2Authorization found = delegate.findByToken(hash(token), tokenType);
            if (found != null) {
                return withPresentedValue(found, token);
            }
        }
        if (token.startsWith(HASHED)) {
            return null; // a stored hash (read from a copy of the database) is no token
        }
        // A code, a state, or a token stored before tokens were kept hashed.
        return delegate.findByToken(token, tokenType);
    }

    static OAuth2Authorization minimised(OAuth2Authorization authorization) {
        OAuth2Authorization.Builder builder = OAuth2Authorization.from(authorization);
        boolean changed = false;
        OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
        if (access != null && !access.getToken().getTokenValue().startsWith(HASHED)) {
            OAuth2AccessToken token = access.getToken();
            builder.token(new OAuth2AccessToken(token.getTokenType(), hash(token.getTokenValue()), token.getIssuedAt(),
                    token.getExpiresAt(), token.getScopes()), sameMetadata(access));
            changed = true;
        }
        OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
        if (refresh != null && !refresh.getToken().getTokenValue().startsWith(HASHED)) {
            OAuth2RefreshToken token = refresh.getToken();
            builder.token(new OAuth2RefreshToken(hash(token.getTokenValue()), token.getIssuedAt(), token.getExpiresAt()),
                    sameMetadata(refresh));
            changed = true;
        }
        OAuth2Authorization.Token<OidcIdToken> issued = authorization.getToken(OidcIdToken.class);
        if (issued == null || issued.getToken().getTokenValue().startsWith(HASHED)) {
            return changed ? builder.build() : authorization;
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
        return builder.token(stored, replaced -> {
            replaced.clear();
            replaced.putAll(metadata);
        }).build();
    }

    /** The grant found by a token's hash, holding the token's presented value where its hash was. */
    static OAuth2Authorization withPresentedValue(OAuth2Authorization found, String presented) {
        String hashed = hash(presented);
        OAuth2Authorization.Token<OAuth2AccessToken> access = found.getAccessToken();
        if (access != null && access.getToken().getTokenValue().equals(hashed)) {
            OAuth2AccessToken token = access.getToken();
            return OAuth2Authorization.from(found).token(new OAuth2AccessToken(token.getTokenType(), presented,
                    token.getIssuedAt(), token.getExpiresAt(), token.getScopes()), sameMetadata(access)).build();
        }
        OAuth2Authorization.Token<OAuth2RefreshToken> refresh = found.getRefreshToken();
        if (refresh != null && refresh.getToken().getTokenValue().equals(hashed)) {
            OAuth2RefreshToken token = refresh.getToken();
            return OAuth2Authorization.from(found).token(new OAuth2RefreshToken(presented, token.getIssuedAt(),
                    token.getExpiresAt()), sameMetadata(refresh)).build();
        }
        return found; // found by its ID token's hash: nothing to put back
    }

    private static java.util.function.Consumer<Map<String, Object>> sameMetadata(OAuth2Authorization.Token<?> token) {
        return metadata -> {
            metadata.clear();
            metadata.putAll(token.getMetadata());
        };
    }

    static String hash(String value) {
        return HASHED + TokenDigest.sha256Hex(value);
    }
}

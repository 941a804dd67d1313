package io.passerelle.keys;

import java.text.ParseException;
import java.util.Optional;

import com.nimbusds.jose.JWSObject;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Answers "was this token signed by a revoked key?" for the issuer's introspection and userinfo paths.
 * Spring Authorization Server finds a token by its value in the authorization table and never looks at its
 * signature again, so without this check a token signed by a compromised key would stay active until it
 * expires.
 *
 * <p>The answer comes from the database, not from this node's snapshot: a revocation made on another node
 * counts at once, without waiting for this node's next tick. One primary-key read per call. Revoked rows are
 * never deleted, so the answer stays true for as long as the token could be presented.
 */
public final class RevokedKeys {

    private final KeyRepository repository;

    public RevokedKeys(KeyRepository repository) {
        this.repository = repository;
    }

    /** True when a key with this kid exists and is revoked. Null or unknown kids are not revoked. */
    public boolean isRevoked(@Nullable String kid) {
        return kid != null && repository.find(kid).map(key -> key.state() == KeyState.REVOKED).orElse(false);
    }

    /**
     * True when {@code token} is a JWS (a JWT access or ID token) whose header names a revoked key. Opaque
     * tokens (refresh tokens, codes) are not signed by a key of the ring: false.
     */
    public boolean signedByRevokedKey(@Nullable String token) {
        return kidOf(token).map(this::isRevoked).orElse(false);
    }

    /**
     * For a {@code JwtDecoder} of the gateway's own tokens (userinfo): fails a token whose header names a
     * revoked key. This node's ring already stops verifying such a token once it reloads; this check also
     * covers the time until another node's revocation reaches this node's snapshot.
     */
    public OAuth2TokenValidator<Jwt> jwtValidator() {
        return jwt -> jwt.getHeaders().get("kid") instanceof String kid && isRevoked(kid)
                ? OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
                        "The token was signed by a revoked key", null))
                : OAuth2TokenValidatorResult.success();
    }

    /**
     * The {@code kid} of a compact JWS's protected header; empty for anything that is not one (no parsing
     * of the payload, no signature check: the caller found the token in its own store).
     */
    public static Optional<String> kidOf(@Nullable String token) {
        // A compact JWS has exactly two dots; opaque tokens have none. Checked before parsing to keep it cheap.
        if (token == null || token.chars().filter(c -> c == '.').count() != 2) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JWSObject.parse(token).getHeader().getKeyID());
        } catch (ParseException e) {
            return Optional.empty();
        }
    }
}

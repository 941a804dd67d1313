package io.passerelle.issuer;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import io.passerelle.keys.JoseVerifiers;
import io.passerelle.keys.RevokedKeys;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code id_token_hint} of a logout request (OIDC RP-Initiated Logout 1.0, 2 and 4): accepted when it
 * is an ID token that Passerelle signed, with any key it still publishes (a key retired since is fine; a
 * revoked key is not), for one of the portals. It is verified as a JWT rather than looked up: the stored
 * authorization may hold a newer ID token (refresh) or be gone (consent withdrawn), and the citizen must be
 * signable-out all the same. Expired tokens are accepted, as section 4 asks: a portal's ID token has
 * usually expired long before the citizen signs out. Issuer and algorithms are pinned here, never read
 * from the token.
 */
public final class IdTokenHint {

    /** What a verified hint says: the portals it was issued to, the citizen's subject there, and the browser session. */
    public record Verified(List<String> audience, String subject, String sid) {
    }

    private static final Logger log = LoggerFactory.getLogger(IdTokenHint.class);

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final RevokedKeys revokedKeys;

    public IdTokenHint(JWKSource<SecurityContext> keys, String issuer, RevokedKeys revokedKeys) {
        this.revokedKeys = revokedKeys;
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256), keys));
        JoseVerifiers.<SecurityContext>processorCustomizer().accept(processor);
        processor.setJWTClaimsSetVerifier((claims, context) -> {
            if (!issuer.equals(claims.getIssuer())) {
                throw new BadJWTException("issued by " + claims.getIssuer());
            }
            if (claims.getSubject() == null || claims.getAudience() == null || claims.getAudience().isEmpty()) {
                throw new BadJWTException("no sub or aud");
            }
            // Our access tokens are signed by the same keys: they carry a scope, ID tokens never do.
            if (claims.getClaim("scope") != null) {
                throw new BadJWTException("an access token, not an ID token");
            }
        });
    }

    /** The hint's content when Passerelle issued it, otherwise empty (never an exception: logout must go on). */
    public Optional<Verified> verify(String token) {
        if (token == null || token.isBlank() || revokedKeys.signedByRevokedKey(token)) {
            return Optional.empty();
        }
        try {
            JWTClaimsSet claims = processor.process(token, null);
            return Optional.of(new Verified(claims.getAudience(), claims.getSubject(), claims.getStringClaim("sid")));
        } catch (Exception e) { // ParseException, BadJOSEException, JOSEException: not one of ours
            log.info("id_token_hint refused: {}", e.getMessage());
            return Optional.empty();
        }
    }
}

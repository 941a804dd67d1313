package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

/**
 * OIDC Core 3.3.2.11: at_hash is the base64url of the left half of the hash of the access token, the
 * hash being the one of the ID token's alg (SHA-256 for RS256, PS256 and ES256 alike). Checked against
 * an independent implementation (Nimbus).
 */
class IssuerClaimsCustomizerTest {

    @Test
    void atHashMatchesAnIndependentImplementationForEveryAlgorithmWeSignWith() {
        for (int i = 0; i < 20; i++) {
            String value = UUID.randomUUID() + "." + UUID.randomUUID();
            OAuth2AccessToken token = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, value, Instant.now(),
                    Instant.now().plusSeconds(60));
            for (JWSAlgorithm alg : new JWSAlgorithm[] {JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256}) {
                assertThat(IssuerClaimsCustomizer.atHash(token))
                        .isEqualTo(AccessTokenHash.compute(new BearerAccessToken(value), alg).getValue());
            }
        }
    }
}

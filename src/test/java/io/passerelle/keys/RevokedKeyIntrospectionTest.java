package io.passerelle.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import io.passerelle.testsupport.MigratedDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;

/** The introspection hook and the userinfo validator, around a stand-in for the server's provider. */
class RevokedKeyIntrospectionTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Authentication CLIENT = new TestingAuthenticationToken("city-portal", null);

    private KeyRepository repository;
    private RevokedKeys revokedKeys;

    @BeforeEach
    void setUp() {
        repository = new JdbcKeyRepository(JdbcClient.create(MigratedDatabase.h2()));
        repository.insert(new StoredKey("good", KeyAlgorithm.RS256, KeyState.ACTIVE, "{}", "x", T0, T0, null, null, 0));
        repository.insert(new StoredKey("bad", KeyAlgorithm.PS256, KeyState.REVOKED, "{}", "x", T0, T0, null, T0, 0));
        revokedKeys = new RevokedKeys(repository);
    }

    @Test
    void anActiveTokenOfARevokedKeyIsReportedInactive() {
        Authentication result = introspect(jws("bad"), true);

        assertThat(result).isInstanceOfSatisfying(OAuth2TokenIntrospectionAuthenticationToken.class, token -> {
            assertThat(token.getTokenClaims().isActive()).isFalse();
            assertThat(token.getTokenClaims().getClaims()).doesNotContainKey("sub");
            assertThat(token.getPrincipal()).isSameAs(CLIENT);
        });
    }

    @Test
    void everyOtherAnswerPassesUnchanged() {
        assertThat(claims(introspect(jws("good"), true)).isActive()).isTrue();
        assertThat(claims(introspect(jws("unknown"), true)).isActive()).isTrue();
        assertThat(claims(introspect("opaque-refresh-token", true)).isActive()).isTrue();
        assertThat(claims(introspect(jws("bad"), false)).isActive()).isFalse();
        AuthenticationProvider wrapped = new RevokedKeyIntrospection(delegate(true), revokedKeys);
        assertThat(wrapped.supports(OAuth2TokenIntrospectionAuthenticationToken.class)).isTrue();
        assertThat(wrapped.supports(TestingAuthenticationToken.class)).isFalse();
    }

    @Test
    void theUserinfoValidatorRefusesTokensOfRevokedKeysOnly() {
        assertThat(revokedKeys.jwtValidator().validate(jwt("bad")).hasErrors()).isTrue();
        assertThat(revokedKeys.jwtValidator().validate(jwt("good")).hasErrors()).isFalse();
        assertThat(revokedKeys.jwtValidator().validate(jwt(null)).hasErrors()).isFalse();
    }

    private Authentication introspect(String token, boolean active) {
        return new RevokedKeyIntrospection(delegate(active), revokedKeys)
                .authenticate(new OAuth2TokenIntrospectionAuthenticationToken(token, CLIENT, null, Map.of()));
    }

    /** Answers like the server's provider: the token's claims, active or not. */
    private static AuthenticationProvider delegate(boolean active) {
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) {
                String token = ((OAuth2TokenIntrospectionAuthenticationToken) authentication).getToken();
                OAuth2TokenIntrospection claims = active
                        ? OAuth2TokenIntrospection.builder(true).subject("citizen").build()
                        : OAuth2TokenIntrospection.builder().build();
                return new OAuth2TokenIntrospectionAuthenticationToken(token, CLIENT, claims);
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return OAuth2TokenIntrospectionAuthenticationToken.class.isAssignableFrom(authentication);
            }
        };
    }

    private static OAuth2TokenIntrospection claims(Authentication result) {
        return ((OAuth2TokenIntrospectionAuthenticationToken) result).getTokenClaims();
    }

    private static String jws(String kid) {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), new Payload("{}"));
        return jws.getHeader().toBase64URL() + "." + jws.getPayload().toBase64URL() + ".c2ln";
    }

    private static Jwt jwt(String kid) {
        Jwt.Builder builder = Jwt.withTokenValue("t").header("alg", "RS256").claim("sub", "citizen");
        if (kid != null) {
            builder.header("kid", kid);
        }
        return builder.build();
    }
}

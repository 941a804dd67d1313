package io.passerelle.keys.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.UUID;
import java.util.function.UnaryOperator;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.passerelle.issuer.ClientAssertionReplayStore;
import io.passerelle.testsupport.MigratedDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;

/** Each rule of the admin assertion, one good and the bad cases. */
class AdminAssertionDecoderTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String AUDIENCE = "https://login.example.be/admin";
    private static ECKey alice;
    private static RSAKey bot;
    private static ECKey stranger;
    private static RSAKey legacy;

    private AdminAssertionDecoder decoder;

    @BeforeAll
    static void keys() throws Exception {
        alice = new ECKeyGenerator(Curve.P_256).keyID("alice").algorithm(JWSAlgorithm.ES256).generate();
        bot = new RSAKeyGenerator(2048).keyID("rotation-bot").algorithm(JWSAlgorithm.PS256).generate();
        stranger = new ECKeyGenerator(Curve.P_256).keyID("alice").algorithm(JWSAlgorithm.ES256).generate();
        legacy = new RSAKeyGenerator(2048).keyID("legacy-tool").algorithm(JWSAlgorithm.RS256).generate();
    }

    @BeforeEach
    void setUp() {
        ClientAssertionReplayStore replay = new ClientAssertionReplayStore(JdbcClient.create(MigratedDatabase.h2()));
        decoder = AdminAssertionDecoder.create(new JWKSet(java.util.List.of(alice.toPublicJWK(), bot.toPublicJWK(), legacy.toPublicJWK())),
                "passerelle-admin", AUDIENCE, replay, CLOCK);
    }

    @Test
    void aFreshAssertionOfAConfiguredKeyIsAccepted() throws Exception {
        Jwt jwt = decoder.decode(sign(new ECDSASigner(alice), JWSAlgorithm.ES256, "alice", claims -> claims));
        assertThat(AdminAssertionDecoder.actor(jwt)).isEqualTo("admin:passerelle-admin/alice");
        Jwt bots = decoder.decode(sign(new RSASSASigner(bot), JWSAlgorithm.PS256, "rotation-bot", claims -> claims));
        assertThat(AdminAssertionDecoder.actor(bots)).isEqualTo("admin:passerelle-admin/rotation-bot");
    }

    @Test
    void theKeysAlgorithmIsPinned() throws Exception {
        // RS256 is accepted for the legacy tool's key; the bot's key is configured for PS256 and signing RS256
        // with it is refused, even naming its kid.
        decoder.decode(sign(new RSASSASigner(legacy), JWSAlgorithm.RS256, "legacy-tool", claims -> claims));
        assertRefused(sign(new RSASSASigner(bot), JWSAlgorithm.RS256, "rotation-bot", claims -> claims));
    }

    @Test
    void anUnknownKeyOrAMissingKidIsRefused() throws Exception {
        assertRefused(sign(new ECDSASigner(stranger), JWSAlgorithm.ES256, "alice", claims -> claims));
        assertRefused(sign(new ECDSASigner(alice), JWSAlgorithm.ES256, null, claims -> claims));
    }

    @Test
    void issuerSubjectAudienceAndLifetimeAreChecked() throws Exception {
        JWSSigner signer = new ECDSASigner(alice);
        assertRefused(sign(signer, JWSAlgorithm.ES256, "alice", claims -> claims.issuer("city-portal")));
        assertRefused(sign(signer, JWSAlgorithm.ES256, "alice", claims -> claims.subject("someone-else")));
        assertRefused(sign(signer, JWSAlgorithm.ES256, "alice", claims -> claims.audience("https://login.example.be")));
        assertRefused(sign(signer, JWSAlgorithm.ES256, "alice", claims -> claims.expirationTime(Date.from(NOW.minusSeconds(60)))));
        assertRefused(sign(signer, JWSAlgorithm.ES256, "alice", claims -> claims.expirationTime(Date.from(NOW.plusSeconds(3600)))));
        assertRefused(sign(signer, JWSAlgorithm.ES256, "alice", claims -> claims.expirationTime(null)));
        assertRefused(sign(signer, JWSAlgorithm.ES256, "alice", claims -> claims.jwtID(null)));
    }

    @Test
    void anAssertionIsUsedOnce() throws Exception {
        String assertion = sign(new ECDSASigner(alice), JWSAlgorithm.ES256, "alice", claims -> claims);
        decoder.decode(assertion);
        assertRefused(assertion);
    }

    @Test
    void withoutConfiguredKeysEverythingIsRefused() throws Exception {
        AdminAssertionDecoder closed = AdminAssertionDecoder.create(new JWKSet(), "passerelle-admin", AUDIENCE,
                new ClientAssertionReplayStore(JdbcClient.create(MigratedDatabase.h2())), CLOCK);
        assertThatThrownBy(() -> closed.decode(sign(new ECDSASigner(alice), JWSAlgorithm.ES256, "alice", c -> c)))
                .isInstanceOf(JwtException.class).hasMessageContaining("No admin keys are configured");
    }

    private void assertRefused(String assertion) {
        assertThatThrownBy(() -> decoder.decode(assertion)).isInstanceOf(JwtException.class);
    }

    private static String sign(JWSSigner signer, JWSAlgorithm alg, String kid,
                               UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer("passerelle-admin").subject("passerelle-admin")
                .audience(AUDIENCE).issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(120)))
                .jwtID(UUID.randomUUID().toString());
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), change.apply(claims).build());
        jwt.sign(signer);
        return jwt.serialize();
    }
}

package io.passerelle.keys;

import io.passerelle.testsupport.MigratedDatabase;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/** The key ring built by plain construction on a fresh H2 database per test. */
class KeyRingTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final JWKSelector EVERYTHING = new JWKSelector(new JWKMatcher.Builder().build());

    private JdbcClient jdbc;
    private KeyRepository repository;
    private MasterKey masterKey;

    @BeforeEach
    void setUp() {
        jdbc = JdbcClient.create(MigratedDatabase.h2());
        repository = new JdbcKeyRepository(jdbc);
        masterKey = MasterKeyTest.randomKey();
    }

    @Test
    void theFirstStartGeneratesOneActiveKeyPerAlgorithm() throws Exception {
        new KeyRing(repository, masterKey, CLOCK);

        List<StoredKey> rows = repository.findAll();
        assertThat(rows).extracting(StoredKey::algorithm).containsExactlyInAnyOrder(KeyAlgorithm.values());
        assertThat(rows).extracting(StoredKey::state).containsOnly(KeyState.ACTIVE);
        assertThat(rows).extracting(StoredKey::createdAt, StoredKey::activatedAt).containsOnly(
                tuple(NOW, NOW));
        assertThat(rows).extracting(StoredKey::kid).doesNotHaveDuplicates().allMatch(kid -> kid.length() == 22);

        Map<KeyAlgorithm, JWK> published = publishedByAlgorithm(rows);
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            JWK jwk = published.get(algorithm);
            assertThat(jwk.isPrivate()).isFalse();
            assertThat(jwk.getAlgorithm().getName()).isEqualTo(algorithm.id());
            assertThat(jwk.getKeyUse()).isEqualTo(algorithm.use());
            X509Certificate certificate = jwk.getParsedX509CertChain().getFirst();
            assertThat(certificate.getSubjectX500Principal().getName())
                    .isEqualTo("CN=Passerelle " + algorithm.id() + " " + jwk.getKeyID());
            assertThat(certificate.getPublicKey()).isEqualTo(publicKey(jwk));
            certificate.verify(certificate.getPublicKey());
            assertThat(certificate.getNotBefore().toInstant()).isBefore(NOW);
            assertThat(certificate.getNotAfter().toInstant()).isAfterOrEqualTo(NOW.plus(Duration.ofDays(730)));
        }
        assertThat(published.get(KeyAlgorithm.RS256).toRSAKey().size()).isEqualTo(2048);
        assertThat(published.get(KeyAlgorithm.ES256).toECKey().getCurve()).isEqualTo(Curve.P_256);
        // RS256 and PS256 are separate key pairs, not one key under two algorithms.
        assertThat(published.get(KeyAlgorithm.PS256).toRSAKey().getModulus())
                .isNotEqualTo(published.get(KeyAlgorithm.RS256).toRSAKey().getModulus());
    }

    @Test
    void aRestartWithTheSameMasterKeyKeepsTheSameKeys() {
        KeyRing first = new KeyRing(repository, masterKey, CLOCK);
        List<StoredKey> rows = repository.findAll();

        KeyRing second = new KeyRing(repository, masterKey, Clock.offset(CLOCK, Duration.ofDays(1)));

        assertThat(repository.findAll()).isEqualTo(rows);
        assertThat(second.publicJwks()).isEqualTo(first.publicJwks());
    }

    @Test
    void thePublishedSetHoldsNothingPrivate() {
        KeyRing ring = new KeyRing(repository, masterKey, CLOCK);

        assertThat(ring.publicJwks().size()).isEqualTo(4);
        assertThat(ring.publicJwks().containsNonPublicKeys()).isFalse();
        assertThat(ring.publicJwks().toString(false)).doesNotContain("\"d\"", "\"p\"", "\"q\"");
        // What the JWKS endpoint publishes: everything get() returns for an empty matcher, public parts.
        assertThat(new JWKSet(ring.get(EVERYTHING, null)).toPublicJWKSet()).isEqualTo(ring.publicJwks());
    }

    @Test
    void theStoredPrivateKeyIsSealedUnderItsKid() throws Exception {
        new KeyRing(repository, masterKey, CLOCK);

        for (StoredKey row : repository.findAll()) {
            assertThat(row.privateKey()).doesNotContain("\"d\"").doesNotContain(row.kid());
            String json = new String(masterKey.decrypt(row.privateKey(), row.kid().getBytes(UTF_8)), UTF_8);
            assertThat(JWK.parse(json).isPrivate()).isTrue();
        }
    }

    @Test
    void aSigningSelectionYieldsExactlyOnePrivateKeyPerAlgorithm() {
        store(KeyAlgorithm.RS256, KeyState.NEXT);
        store(KeyAlgorithm.RS256, KeyState.RETIRED);
        store(KeyAlgorithm.ES256, KeyState.NEXT);
        KeyRing ring = new KeyRing(repository, masterKey, CLOCK);

        for (JWSAlgorithm algorithm : List.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256)) {
            // The matcher NimbusJwtEncoder builds: no "private only", no kid, use and alg may be absent.
            JWKMatcher encoderMatcher = new JWKMatcher.Builder()
                    .keyType(KeyType.forAlgorithm(algorithm))
                    .keyID(null)
                    .keyUses(KeyUse.SIGNATURE, null)
                    .algorithms(algorithm, null)
                    .x509CertSHA256Thumbprint(null)
                    .build();
            List<JWK> selected = ring.get(new JWKSelector(encoderMatcher), null);

            assertThat(selected).as(algorithm.getName()).hasSize(1);
            assertThat(selected.getFirst().isPrivate()).isTrue();
            assertThat(selected.getFirst().getAlgorithm()).isEqualTo(algorithm);
        }
    }

    @Test
    void springsEncoderSignsWithTheActiveKeyOfEachAlgorithm() throws Exception {
        store(KeyAlgorithm.PS256, KeyState.NEXT);
        store(KeyAlgorithm.PS256, KeyState.RETIRED);
        KeyRing ring = new KeyRing(repository, masterKey, CLOCK);
        Map<KeyAlgorithm, String> activeKids = repository.findAll().stream()
                .filter(row -> row.state() == KeyState.ACTIVE)
                .collect(Collectors.toMap(StoredKey::algorithm, StoredKey::kid));
        NimbusJwtEncoder encoder = new NimbusJwtEncoder(ring);
        DefaultJWTProcessor<SecurityContext> verifier = new DefaultJWTProcessor<>();
        verifier.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256), ring));

        for (KeyAlgorithm algorithm : List.of(KeyAlgorithm.RS256, KeyAlgorithm.PS256, KeyAlgorithm.ES256)) {
            Jwt jwt = encoder.encode(JwtEncoderParameters.from(
                    JwsHeader.with(SignatureAlgorithm.from(algorithm.id())).build(),
                    JwtClaimsSet.builder().subject("citizen").build()));

            assertThat(jwt.getHeaders()).containsEntry("kid", activeKids.get(algorithm));
            assertThat(verifier.process(jwt.getTokenValue(), null).getSubject()).isEqualTo("citizen");
        }
    }

    @Test
    void nextAndRetiredKeysArePublishedVerifiableAndNeverPrivate() throws Exception {
        JWK next = store(KeyAlgorithm.RS256, KeyState.NEXT);
        JWK retired = store(KeyAlgorithm.RS256, KeyState.RETIRED);
        JWK revoked = store(KeyAlgorithm.ES256, KeyState.REVOKED);
        KeyRing ring = new KeyRing(repository, masterKey, CLOCK);

        assertThat(ring.publicJwks().getKeys()).extracting(JWK::getKeyID)
                .hasSize(6).contains(next.getKeyID(), retired.getKeyID()).doesNotContain(revoked.getKeyID());
        assertThat(ring.get(EVERYTHING, null)).filteredOn(JWK::isPrivate).hasSize(4)
                .noneMatch(jwk -> jwk.getKeyID().equals(next.getKeyID()) || jwk.getKeyID().equals(retired.getKeyID()));

        // A token the retired key signed before rotation still verifies, found by its kid.
        SignedJWT old = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(retired.getKeyID()).build(),
                new JWTClaimsSet.Builder().subject("earlier").build());
        old.sign(new RSASSASigner(retired.toRSAKey()));
        DefaultJWTProcessor<SecurityContext> verifier = new DefaultJWTProcessor<>();
        verifier.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, ring));
        assertThat(verifier.process(old.serialize(), null).getSubject()).isEqualTo("earlier");
    }

    @Test
    void anExistingActiveKeyIsKeptAndARevokedOneReplaced() {
        JWK kept = store(KeyAlgorithm.RS256, KeyState.ACTIVE);
        KeyRing first = new KeyRing(repository, masterKey, CLOCK);
        StoredKey es256 = repository.findAll().stream()
                .filter(row -> row.algorithm() == KeyAlgorithm.ES256).findFirst().orElseThrow();
        assertThat(repository.updateState(es256.kid(), 0, KeyState.REVOKED, NOW, null, NOW)).isTrue();

        KeyRing second = new KeyRing(repository, masterKey, CLOCK);

        assertThat(first.publicJwks().getKeyByKeyId(kept.getKeyID())).isNotNull();
        assertThat(second.publicJwks().getKeyByKeyId(kept.getKeyID())).isNotNull();
        assertThat(second.publicJwks().getKeyByKeyId(es256.kid())).isNull();
        assertThat(second.publicJwks().getKeys()).filteredOn(jwk -> "ES256".equals(jwk.getAlgorithm().getName())).hasSize(1);
        assertThat(repository.findAll()).hasSize(5);
    }

    /**
     * A node that starts between an emergency revocation and the activation of the published successor
     * waits for that successor (issue 12, item 5): a fresh key would sign with a kid no portal has seen.
     */
    @Test
    void aNodeStartingInARevocationGapWaitsForThePublishedSuccessor() {
        new KeyRing(repository, masterKey, CLOCK);
        StoredKey revoked = repository.findAll().stream()
                .filter(row -> row.algorithm() == KeyAlgorithm.ES256).findFirst().orElseThrow();
        JWK successor = store(KeyAlgorithm.ES256, KeyState.NEXT);
        assertThat(repository.updateState(revoked.kid(), 0, KeyState.REVOKED, NOW, null, NOW)).isTrue();
        int rows = repository.findAll().size();

        KeyRing restarted = new KeyRing(repository, masterKey, CLOCK);

        assertThat(repository.findAll()).as("no key generated").hasSize(rows);
        assertThat(restarted.publicJwks().getKeyByKeyId(successor.getKeyID())).as("the successor is published")
                .isNotNull();
        assertThat(restarted.publicJwks().getKeys()).filteredOn(jwk -> "ES256".equals(jwk.getAlgorithm().getName()))
                .extracting(JWK::getKeyID).containsExactly(successor.getKeyID());
    }

    @Test
    void activeAndRetiredEncryptionKeysDecryptButOnlyTheActiveOneIsOffered() throws Exception {
        JWK retired = store(KeyAlgorithm.RSA_OAEP_256, KeyState.RETIRED);
        KeyRing ring = new KeyRing(repository, masterKey, CLOCK);
        String activeKid = repository.findAll().stream()
                .filter(row -> row.algorithm() == KeyAlgorithm.RSA_OAEP_256 && row.state() == KeyState.ACTIVE)
                .findFirst().orElseThrow().kid();

        JWK offered = ring.activeEncryptionKey().orElseThrow();
        assertThat(offered.getKeyID()).isEqualTo(activeKid);
        assertThat(offered.isPrivate()).isFalse();
        assertThat(offered.getKeyUse()).isEqualTo(KeyUse.ENCRYPTION);
        assertThat(ring.decryptionKeys()).extracting(JWK::getKeyID)
                .containsExactlyInAnyOrder(activeKid, retired.getKeyID());
        assertThat(ring.decryptionKeys()).allMatch(JWK::isPrivate);
        // Choosing a key by algorithm offers the active one only.
        assertThat(ring.get(new JWKSelector(new JWKMatcher.Builder().algorithm(JWEAlgorithm.RSA_OAEP_256).build()), null))
                .extracting(JWK::getKeyID).containsExactly(activeKid);

        // An upstream that still encrypts to the retired key it cached: we can decrypt.
        JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM)
                .keyID(retired.getKeyID()).build(), new Payload("id token"));
        jwe.encrypt(new RSAEncrypter(ring.publicJwks().getKeyByKeyId(retired.getKeyID()).toRSAKey()));
        JWK decryptionKey = ring.decryptionKeys().stream()
                .filter(jwk -> jwk.getKeyID().equals(retired.getKeyID())).findFirst().orElseThrow();
        JWEObject received = JWEObject.parse(jwe.serialize());
        received.decrypt(new RSADecrypter(decryptionKey.toRSAKey()));
        assertThat(received.getPayload().toString()).isEqualTo("id token");
    }

    @Test
    void aWrongMasterKeyStopsTheStartAndChangesNothing() {
        new KeyRing(repository, masterKey, CLOCK);
        // With an algorithm lacking its active key, a careless start would generate one before failing.
        StoredKey ps256 = repository.findAll().stream()
                .filter(row -> row.algorithm() == KeyAlgorithm.PS256).findFirst().orElseThrow();
        repository.updateState(ps256.kid(), 0, KeyState.REVOKED, NOW, null, NOW);
        List<StoredKey> before = repository.findAll();

        assertThatThrownBy(() -> new KeyRing(repository, MasterKeyTest.randomKey(), CLOCK))
                .isInstanceOf(KeyRingStartupException.class)
                .hasMessageContaining("master key is wrong")
                .hasMessageContaining("Nothing was changed")
                .satisfies(e -> assertThat(before).anyMatch(row -> e.getMessage().contains("'" + row.kid() + "'")));
        assertThat(repository.findAll()).isEqualTo(before);
    }

    @Test
    void aSealedKeyCopiedOntoAnotherKidDoesNotOpen() {
        new KeyRing(repository, masterKey, CLOCK);
        Map<KeyAlgorithm, StoredKey> rows = byAlgorithm(repository.findAll());
        StoredKey victim = rows.get(KeyAlgorithm.RS256);
        jdbc.sql("UPDATE signing_key SET private_key = :sealed WHERE kid = :kid")
                .param("sealed", rows.get(KeyAlgorithm.PS256).privateKey()).param("kid", victim.kid()).update();

        assertThatThrownBy(() -> new KeyRing(repository, masterKey, CLOCK))
                .isInstanceOf(KeyRingStartupException.class)
                .hasMessageContaining("'" + victim.kid() + "'")
                .hasMessageContaining("cannot decrypt");
    }

    @Test
    void aPublicJwkThatIsNotTheSealedKeysIsRefused() {
        new KeyRing(repository, masterKey, CLOCK);
        Map<KeyAlgorithm, StoredKey> rows = byAlgorithm(repository.findAll());
        StoredKey victim = rows.get(KeyAlgorithm.RS256);
        jdbc.sql("UPDATE signing_key SET public_jwk = :jwk WHERE kid = :kid")
                .param("jwk", rows.get(KeyAlgorithm.PS256).publicJwk()).param("kid", victim.kid()).update();

        assertThatThrownBy(() -> new KeyRing(repository, masterKey, CLOCK))
                .isInstanceOf(KeyRingStartupException.class)
                .hasMessageContaining("'" + victim.kid() + "'")
                .hasMessageContaining("damaged");
    }

    /** Stores a freshly generated key in the given state, sealed like the ring does, and returns it (private). */
    private JWK store(KeyAlgorithm algorithm, KeyState state) {
        String kid = JwkGenerator.newKid();
        JWK jwk = JwkGenerator.generate(algorithm, kid, NOW.minus(Duration.ofDays(10)));
        boolean ended = state == KeyState.RETIRED || state == KeyState.REVOKED;
        repository.insert(new StoredKey(kid, algorithm, state, jwk.toPublicJWK().toJSONString(),
                masterKey.encrypt(jwk.toJSONString().getBytes(UTF_8), kid.getBytes(UTF_8)),
                NOW.minus(Duration.ofDays(10)), state == KeyState.NEXT ? null : NOW.minus(Duration.ofDays(9)),
                null, ended ? NOW.minus(Duration.ofDays(1)) : null, 0));
        return jwk;
    }

    private static Map<KeyAlgorithm, StoredKey> byAlgorithm(List<StoredKey> rows) {
        return rows.stream().collect(Collectors.toMap(StoredKey::algorithm, Function.identity()));
    }

    private static Map<KeyAlgorithm, JWK> publishedByAlgorithm(List<StoredKey> rows) throws Exception {
        Map<KeyAlgorithm, JWK> published = new EnumMap<>(KeyAlgorithm.class);
        for (StoredKey row : rows) {
            published.put(row.algorithm(), JWK.parse(row.publicJwk()));
        }
        return published;
    }

    private static PublicKey publicKey(JWK jwk) throws Exception {
        return jwk.getKeyType() == KeyType.EC ? jwk.toECKey().toPublicKey() : jwk.toRSAKey().toPublicKey();
    }
}

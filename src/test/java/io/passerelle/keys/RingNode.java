package io.passerelle.keys;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import javax.sql.DataSource;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.JdbcAuditLog;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** One gateway node's key beans on a database, wired as KeyRingConfiguration does, for plain unit tests. */
final class RingNode {

    /**
     * The production defaults (90 days, 1 h JWKS cache, 8 h tokens, 5 min ticks) but a 50 ms propagation
     * interval: a revocation with no published successor waits two of them (real time) before activating one.
     */
    static final KeyPolicy POLICY = new KeyPolicy(Duration.ofDays(90), Duration.ofHours(1), Duration.ofHours(8),
            Duration.ofMinutes(5), Duration.ofMillis(50));

    final KeyRepository repository;
    final AuditLog audit;
    final KeyRing ring;
    final KeyRotation rotation;
    final RevokedKeys revokedKeys;

    RingNode(DataSource dataSource, MasterKey masterKey, Clock clock, KeyPolicy policy) {
        this(dataSource, masterKey, clock, policy, UnaryOperator.identity());
    }

    /** With the repository wrapped (to make two nodes meet at their first write). */
    RingNode(DataSource dataSource, MasterKey masterKey, Clock clock, KeyPolicy policy, UnaryOperator<KeyRepository> wrap) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        this.repository = wrap.apply(new JdbcKeyRepository(jdbc));
        this.audit = new JdbcAuditLog(jdbc, clock);
        this.ring = new KeyRing(repository, masterKey, clock, audit, policy.signingWait());
        this.rotation = new KeyRotation(ring, repository, policy, clock, audit,
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
        this.revokedKeys = new RevokedKeys(repository);
    }

    /** The one private key a signer (or an upstream encrypting to us) gets for this algorithm; fails unless exactly one. */
    String signingKid(KeyAlgorithm algorithm) {
        JWKMatcher matcher = new JWKMatcher.Builder()
                .keyType(algorithm.use() == KeyUse.ENCRYPTION ? KeyType.RSA : KeyType.forAlgorithm((JWSAlgorithm) algorithm.jose()))
                .keyUses(algorithm.use(), null)
                .algorithms(algorithm.jose(), null)
                .build();
        List<JWK> selected = ring.get(new JWKSelector(matcher), null);
        if (selected.size() != 1 || !selected.getFirst().isPrivate()) {
            throw new AssertionError(algorithm.id() + ": expected exactly one private key, got " + selected);
        }
        return selected.getFirst().getKeyID();
    }

    List<String> publishedKids() {
        return ring.publicJwks().getKeys().stream().map(JWK::getKeyID).toList();
    }
}

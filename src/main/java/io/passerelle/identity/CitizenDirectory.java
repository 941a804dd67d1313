package io.passerelle.identity;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.passerelle.connector.UpstreamIdentity;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Turns an upstream identity into Passerelle's citizen: the same (connector, upstream subject) is
 * always the same citizen, across restarts and nodes. Linking one person's several keys on the
 * verified national number is the identity issue's next step; until then each key is its own citizen.
 *
 * <p>Upstream subjects are stored only as an HMAC under a secret key: for the eID card the subject is
 * the national number, 11 structured digits that a plain hash would give away to anyone reading the
 * table (one billion guesses at most).
 */
public final class CitizenDirectory {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final byte[] linkKey;

    public CitizenDirectory(JdbcClient jdbc, Clock clock, byte[] linkKey) {
        if (linkKey == null || linkKey.length < 32) {
            throw new IllegalArgumentException("the identity link key must have at least 256 bits");
        }
        this.jdbc = jdbc;
        this.clock = clock;
        this.linkKey = linkKey.clone();
    }

    /** The citizen for this upstream identity, created on first sight. */
    public String citizenFor(UpstreamIdentity identity) {
        String hash = subjectHash(linkKey, identity.connectorId(), identity.subject());
        Timestamp now = Timestamp.from(clock.instant());
        Optional<String> existing = find(identity.connectorId(), hash);
        if (existing.isPresent()) {
            jdbc.sql("UPDATE citizen_link SET last_seen_at = ? WHERE connector_id = ? AND subject_hash = ?")
                    .params(now, identity.connectorId(), hash).update();
            return existing.get();
        }
        String citizen = UUID.randomUUID().toString();
        try {
            jdbc.sql("INSERT INTO citizen (id, created_at) VALUES (?, ?)").params(citizen, now).update();
            jdbc.sql("INSERT INTO citizen_link (connector_id, subject_hash, citizen_id, linked_at, last_seen_at) "
                    + "VALUES (?, ?, ?, ?, ?)").params(identity.connectorId(), hash, citizen, now, now).update();
            return citizen;
        } catch (DuplicateKeyException raced) {
            // Another node linked the same person a moment ago: theirs wins.
            return find(identity.connectorId(), hash).orElseThrow(() -> raced);
        }
    }

    private Optional<String> find(String connectorId, String hash) {
        return jdbc.sql("SELECT citizen_id FROM citizen_link WHERE connector_id = ? AND subject_hash = ?")
                .params(connectorId, hash).query(String.class).optional();
    }

    static String subjectHash(byte[] key, String connectorId, String subject) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(connectorId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(subject.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java platform", e);
        }
    }

    /** For tests and the account page: when the citizen was created. */
    public Optional<Instant> createdAt(String citizenId) {
        return jdbc.sql("SELECT created_at FROM citizen WHERE id = ?").param(citizenId).query(Timestamp.class)
                .optional().map(Timestamp::toInstant);
    }
}

package io.passerelle.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import io.passerelle.connector.UpstreamIdentity;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Turns an upstream identity into Passerelle's citizen: the same (connector, upstream subject) is
 * always the same citizen, across restarts and nodes. Linking one person's several keys on the
 * verified national number is the identity issue's next step; until then each key is its own citizen.
 */
public final class CitizenDirectory {

    private final JdbcClient jdbc;
    private final Clock clock;

    public CitizenDirectory(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The citizen for this upstream identity, created on first sight. */
    public String citizenFor(UpstreamIdentity identity) {
        String hash = subjectHash(identity.connectorId(), identity.subject());
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

    static String subjectHash(String connectorId, String subject) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(connectorId.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            return HexFormat.of().formatHex(sha.digest(subject.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** For tests and the account page: when the citizen was created. */
    public Optional<Instant> createdAt(String citizenId) {
        return jdbc.sql("SELECT created_at FROM citizen WHERE id = ?").param(citizenId).query(Timestamp.class)
                .optional().map(Timestamp::toInstant);
    }
}

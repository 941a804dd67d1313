package io.passerelle.identity;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.passerelle.connector.UpstreamIdentity;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Turns an upstream identity into Passerelle's citizen. A connector that verified the national number
 * (the eID card, an itsme-grade provider) links the person on it: the card today and mobile-ID tomorrow
 * are one citizen. A connector that yields no national number gives a citizen of its own, linked on
 * (connector, upstream subject). Never linked on e-mail or name: those are claimed, not proven.
 *
 * <p>Upstream subjects and national numbers are stored only as an HMAC under a secret key: a national
 * number is 11 structured digits that a plain hash would give away to anyone reading the table (one
 * billion guesses at most).
 */
public final class CitizenDirectory {

    /** The attribute a connector fills only with a verified (mod-97 checked) national number. */
    public static final String NATIONAL_NUMBER = "national_number";
    /** Domain of the national-number hashes, so they never equal a connector subject's hash. */
    private static final String NUMBER_DOMAIN = "\u0000national-number";

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
        Object number = identity.attributes().get(NATIONAL_NUMBER);
        String numberHash = number instanceof String text && !text.isBlank()
                ? subjectHash(linkKey, NUMBER_DOMAIN, text) : null;
        Timestamp now = Timestamp.from(clock.instant());
        Optional<String> byKey = find(identity.connectorId(), hash);
        Optional<String> byNumber = numberHash == null ? Optional.empty() : findByNumber(numberHash);
        if (byNumber.isPresent()) {
            // The number is proven: this key belongs to that person, whatever it was linked to before.
            link(identity.connectorId(), hash, byNumber.get(), byKey, now);
            return byNumber.get();
        }
        String citizen = byKey.orElseGet(() -> UUID.randomUUID().toString());
        if (byKey.isEmpty()) {
            jdbc.sql("INSERT INTO citizen (id, created_at) VALUES (?, ?)").params(citizen, now).update();
        }
        if (numberHash != null) {
            try {
                jdbc.sql("INSERT INTO citizen_national_number (number_hash, citizen_id, linked_at) VALUES (?, ?, ?)")
                        .params(numberHash, citizen, now).update();
            } catch (DuplicateKeyException raced) {
                // The same person signed in with another key on another node a moment ago: theirs wins.
                String winner = findByNumber(numberHash).orElseThrow(() -> raced);
                link(identity.connectorId(), hash, winner, find(identity.connectorId(), hash), now);
                return winner;
            }
        }
        return link(identity.connectorId(), hash, citizen, byKey, now);
    }

    /** Links the key to {@code citizen}; returns the citizen the key is linked to (another node's, if it was faster). */
    private String link(String connectorId, String hash, String citizen, Optional<String> current, Timestamp now) {
        if (current.isPresent()) {
            jdbc.sql("UPDATE citizen_link SET citizen_id = ?, last_seen_at = ? WHERE connector_id = ? AND subject_hash = ?")
                    .params(citizen, now, connectorId, hash).update();
            return citizen;
        }
        try {
            jdbc.sql("INSERT INTO citizen_link (connector_id, subject_hash, citizen_id, linked_at, last_seen_at) "
                    + "VALUES (?, ?, ?, ?, ?)").params(connectorId, hash, citizen, now, now).update();
            return citizen;
        } catch (DuplicateKeyException raced) {
            // Another node linked the same key a moment ago: theirs wins.
            return find(connectorId, hash).orElseThrow(() -> raced);
        }
    }

    private Optional<String> find(String connectorId, String hash) {
        return jdbc.sql("SELECT citizen_id FROM citizen_link WHERE connector_id = ? AND subject_hash = ?")
                .params(connectorId, hash).query(String.class).optional();
    }

    private Optional<String> findByNumber(String numberHash) {
        return jdbc.sql("SELECT citizen_id FROM citizen_national_number WHERE number_hash = ?")
                .param(numberHash).query(String.class).optional();
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

    /**
     * The connectors citizens are linked through, sorted. Links are never deleted with a connector's file:
     * the same key, configured again, must find the same citizens (and their pairwise subjects).
     */
    public List<String> linkedConnectors() {
        return jdbc.sql("SELECT DISTINCT connector_id FROM citizen_link ORDER BY connector_id").query(String.class).list();
    }

    /** For tests and the account page: when the citizen was created. */
    public Optional<Instant> createdAt(String citizenId) {
        return jdbc.sql("SELECT created_at FROM citizen WHERE id = ?").param(citizenId).query(Timestamp.class)
                .optional().map(Timestamp::toInstant);
    }
}

package io.passerelle.consent;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.passerelle.audit.TimeOrderedIds;
import io.passerelle.retention.ExpiredRows;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@link ConsentLedger} on the {@code consent} and {@code data_release} tables (Flyway V6). */
public final class JdbcConsentLedger implements ConsentLedger {

    private static final String COLUMNS = "citizen_id, client_id, granted_claims, refused_claims, granted_at, expires_at";

    /** Receipts are append-only: time-ordered ids keep their inserts at the end of the index. */
    private static final TimeOrderedIds IDS = new TimeOrderedIds(java.time.Clock.systemUTC());

    private final JdbcClient jdbc;

    public JdbcConsentLedger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Receipts older than the retention go (package retention); a zero retention keeps them all. */
    public static ExpiredRows expiredReceipts(Duration retention) {
        return ExpiredRows.retained("data_release", "data_release", List.of("id"), "released_at < ?", retention);
    }

    @Override
    public Optional<Consent> find(String citizenId, String clientId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM consent WHERE citizen_id = ? AND client_id = ?")
                .params(citizenId, clientId).query(JdbcConsentLedger::consent).optional();
    }

    @Override
    public void record(Consent consent) {
        Object[] values = {join(consent.granted()), join(consent.refused()), Timestamp.from(consent.grantedAt()),
                Timestamp.from(consent.expiresAt()), consent.citizenId(), consent.clientId()};
        int updated = jdbc.sql("UPDATE consent SET granted_claims = ?, refused_claims = ?, granted_at = ?, expires_at = ? "
                + "WHERE citizen_id = ? AND client_id = ?").params(values).update();
        if (updated == 0) {
            try {
                jdbc.sql("INSERT INTO consent (granted_claims, refused_claims, granted_at, expires_at, citizen_id, client_id) "
                        + "VALUES (?, ?, ?, ?, ?, ?)").params(values).update();
            } catch (DuplicateKeyException raced) {
                // The same citizen decided in another tab on another node a moment ago: the later decision wins.
                jdbc.sql("UPDATE consent SET granted_claims = ?, refused_claims = ?, granted_at = ?, expires_at = ? "
                        + "WHERE citizen_id = ? AND client_id = ?").params(values).update();
            }
        }
    }

    @Override
    public boolean withdraw(String citizenId, String clientId) {
        return jdbc.sql("DELETE FROM consent WHERE citizen_id = ? AND client_id = ?").params(citizenId, clientId)
                .update() > 0;
    }

    @Override
    public List<Consent> decisions(String citizenId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM consent WHERE citizen_id = ? ORDER BY granted_at DESC")
                .param(citizenId).query(JdbcConsentLedger::consent).list();
    }

    @Override
    public void released(DataRelease release) {
        jdbc.sql("INSERT INTO data_release (id, citizen_id, client_id, claims, loa, released_at) VALUES (?, ?, ?, ?, ?, ?)")
                .params(IDS.next(), release.citizenId(), release.clientId(), join(release.claims()),
                        release.loa(), Timestamp.from(release.releasedAt()))
                .update();
    }

    @Override
    public List<DataRelease> releases(String citizenId, int limit) {
        return jdbc.sql("SELECT citizen_id, client_id, claims, loa, released_at FROM data_release WHERE citizen_id = ? "
                        + "ORDER BY released_at DESC, id LIMIT ?")
                .params(citizenId, limit)
                .query((rs, row) -> new DataRelease(rs.getString(1), rs.getString(2), List.copyOf(split(rs.getString(3))),
                        rs.getString(4), rs.getTimestamp(5).toInstant()))
                .list();
    }

    private static Consent consent(ResultSet rs, int row) throws SQLException {
        return new Consent(rs.getString(1), rs.getString(2), split(rs.getString(3)), split(rs.getString(4)),
                rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant());
    }

    private static String join(Collection<String> claims) {
        return String.join(" ", claims);
    }

    private static Set<String> split(String claims) {
        Set<String> names = new LinkedHashSet<>();
        if (claims != null && !claims.isBlank()) {
            names.addAll(Arrays.asList(claims.trim().split(" ")));
        }
        return names;
    }
}

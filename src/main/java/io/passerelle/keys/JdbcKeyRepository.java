package io.passerelle.keys;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link KeyRepository} on {@code signing_key}, the same SQL for H2 and PostgreSQL. Instants are bound as
 * {@link OffsetDateTime} in UTC, the one java.time type both drivers map to {@code timestamp with time
 * zone}, with explicit SQL types so a null binds without asking the driver for parameter metadata. Both
 * databases keep microseconds: callers should not rely on nanoseconds surviving.
 */
public final class JdbcKeyRepository implements KeyRepository {

    private static final String COLUMNS = "kid, alg, key_use, state, public_jwk, private_key, created_at,"
            + " activated_at, retire_at, retired_at, version";

    private final JdbcClient jdbc;

    public JdbcKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<StoredKey> findAll() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM signing_key ORDER BY created_at, kid")
                .query(JdbcKeyRepository::row)
                .list();
    }

    @Override
    public List<KeyVersion> versions() {
        // The same order as findAll: KeyRing compares this list with the one its snapshot was built from.
        return jdbc.sql("SELECT kid, state, version FROM signing_key ORDER BY created_at, kid")
                .query((rs, rowNum) -> new KeyVersion(rs.getString("kid"), KeyState.fromDbValue(rs.getString("state")),
                        rs.getInt("version")))
                .list();
    }

    @Override
    public Optional<StoredKey> find(String kid) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM signing_key WHERE kid = :kid")
                .param("kid", kid)
                .query(JdbcKeyRepository::row)
                .optional();
    }

    @Override
    public boolean isEmpty() {
        return jdbc.sql("SELECT COUNT(*) FROM signing_key").query(Long.class).single() == 0L;
    }

    @Override
    public void insert(StoredKey key) {
        jdbc.sql("INSERT INTO signing_key (" + COLUMNS + ", active_alg, next_alg) VALUES (:kid, :alg, :use,"
                        + " :state, :publicJwk, :privateKey, :createdAt, :activatedAt, :retireAt, :retiredAt, :version,"
                        + " :activeAlg, :nextAlg)")
                .param("kid", key.kid())
                .param("alg", key.algorithm().id())
                .param("use", key.algorithm().use().getValue())
                .param("state", key.state().dbValue())
                .param("publicJwk", key.publicJwk())
                .param("privateKey", key.privateKey())
                .param("createdAt", utc(key.createdAt()), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("activatedAt", utc(key.activatedAt()), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("retireAt", utc(key.retireAt()), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("retiredAt", utc(key.retiredAt()), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("version", key.version())
                // The unique index on active_alg is what makes "one active key per algorithm" hold.
                .param("activeAlg", key.state() == KeyState.ACTIVE ? key.algorithm().id() : null, Types.VARCHAR)
                // Same for next_alg and "one next key per algorithm" (V5).
                .param("nextAlg", key.state() == KeyState.NEXT ? key.algorithm().id() : null, Types.VARCHAR)
                .update();
    }

    @Override
    public boolean updateState(String kid, int expectedVersion, KeyState newState,
                               @Nullable Instant activatedAt, @Nullable Instant retireAt,
                               @Nullable Instant retiredAt) {
        if (newState.predecessors().isEmpty()) {
            throw new IllegalArgumentException("No key moves to " + newState + "; insert it instead");
        }
        // Version and allowed predecessor states are checked in the UPDATE itself: atomic, no read first.
        String activeAlg = newState == KeyState.ACTIVE ? "alg" : "NULL";
        // Nothing moves to NEXT, so whatever moves leaves the algorithm's next slot free.
        int changed = jdbc.sql("UPDATE signing_key SET state = :state, active_alg = " + activeAlg + ","
                        + " next_alg = NULL, activated_at = :activatedAt, retire_at = :retireAt, retired_at = :retiredAt,"
                        + " version = version + 1"
                        + " WHERE kid = :kid AND version = :version AND state IN (:from)")
                .param("state", newState.dbValue())
                .param("activatedAt", utc(activatedAt), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("retireAt", utc(retireAt), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("retiredAt", utc(retiredAt), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("kid", kid)
                .param("version", expectedVersion)
                .param("from", newState.predecessors().stream().map(KeyState::dbValue).toList())
                .update();
        return changed == 1;
    }

    @Override
    public boolean requestRetirement(String kid, int expectedVersion, Instant retireAt) {
        int changed = jdbc.sql("UPDATE signing_key SET retire_at = :retireAt, version = version + 1"
                        + " WHERE kid = :kid AND version = :version AND state = 'active'")
                .param("retireAt", utc(retireAt), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("kid", kid)
                .param("version", expectedVersion)
                .update();
        return changed == 1;
    }

    @Override
    public boolean delete(String kid, int expectedVersion) {
        int deleted = jdbc.sql("DELETE FROM signing_key WHERE kid = :kid AND version = :version"
                        + " AND state IN ('retired', 'revoked')")
                .param("kid", kid)
                .param("version", expectedVersion)
                .update();
        return deleted == 1;
    }

    private static StoredKey row(ResultSet rs, int rowNum) throws SQLException {
        return new StoredKey(
                rs.getString("kid"),
                KeyAlgorithm.fromId(rs.getString("alg")),
                KeyState.fromDbValue(rs.getString("state")),
                rs.getString("public_jwk"),
                rs.getString("private_key"),
                instant(rs, "created_at"),
                instant(rs, "activated_at"),
                instant(rs, "retire_at"),
                instant(rs, "retired_at"),
                rs.getInt("version"));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static @Nullable OffsetDateTime utc(@Nullable Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}

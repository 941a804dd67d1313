package io.passerelle.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.passerelle.audit.JdbcAuditLog;
import io.passerelle.broker.LoginTransactionStore;
import io.passerelle.consent.JdbcConsentLedger;
import io.passerelle.issuer.ClientAssertionReplayStore;
import io.passerelle.issuer.JdbcAuthorizationStore;
import io.passerelle.issuer.OneTimeCodeRedemption;
import io.passerelle.issuer.RetiredRefreshTokenStore;
import io.passerelle.issuer.SessionPortals;
import io.passerelle.testsupport.MutableClock;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The purge's contract, on H2 and on PostgreSQL: for every table that grows with the logins, rows past
 * their expiry (or retention) go and live ones stay, in batches, also with two nodes purging at once.
 * The expired rows are defined by the packages owning the tables; the same definitions are the beans.
 */
abstract class RetentionContract {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final Duration SESSION_KEEP = Duration.ofHours(8);
    private static final Duration AUDIT_KEEP = Duration.ofDays(365);

    private final MutableClock clock = new MutableClock(NOW);
    private DataSource database;
    private JdbcClient jdbc;

    abstract DataSource database();

    @BeforeEach
    void open() {
        database = database();
        jdbc = JdbcClient.create(database);
    }

    private List<ExpiredRows> everyTable() {
        List<ExpiredRows> rows = new ArrayList<>(LoginTransactionStore.expiredRows());
        rows.add(JdbcAuthorizationStore.expiredRows());
        rows.add(SessionPortals.expiredRows(SESSION_KEEP));
        rows.add(OneTimeCodeRedemption.Redemptions.expiredRows());
        rows.add(ClientAssertionReplayStore.expiredRows());
        rows.add(RetiredRefreshTokenStore.expiredRows());
        rows.add(JdbcAuditLog.expiredRows(AUDIT_KEEP));
        rows.add(JdbcConsentLedger.expiredReceipts(AUDIT_KEEP));
        return rows;
    }

    private RetentionJob job(int batchSize, int maxBatches, List<ExpiredRows> tables) {
        RetentionProperties p = RetentionProperties.defaults();
        return new RetentionJob(database, tables, new RetentionProperties(true, p.interval(), batchSize, maxBatches,
                p.statementTimeout(), p.auditEvents(), p.dataReleases()), clock, new SimpleMeterRegistry());
    }

    @Test
    void expiredRowsGoAndLiveOnesStayInEveryTable() {
        Instant past = NOW.minusSeconds(1);
        Instant future = NOW.plusSeconds(60);
        loginRecord("used", future, NOW.minus(Duration.ofMinutes(2)));
        loginRecord("just-used", future, NOW.minusSeconds(10)); // consume() still reads it back
        loginRecord("expired", past, null);
        loginRecord("in-flight", future, null);
        loginInFlight("expired", past);
        loginInFlight("in-flight", future);
        authorization("tokens-expired", past);
        authorization("refresh-alive", future);
        sessionPortal("ended", NOW.minus(SESSION_KEEP).minusSeconds(1));
        sessionPortal("alive", NOW.minus(SESSION_KEEP).plusSeconds(1));
        for (String table : List.of("authorization_code_redemption", "retired_refresh_token")) {
            String extra = table.equals("retired_refresh_token") ? ", authorization_id" : "";
            String key = table.equals("retired_refresh_token") ? "token_hash" : "code_hash";
            for (Instant at : List.of(past, future)) {
                jdbc.sql("INSERT INTO " + table + " (" + key + extra + ", expires_at) VALUES (?" + (extra.isEmpty() ? "" : ", 'a'")
                        + ", ?)").params(at.equals(past) ? "old" : "live", Timestamp.from(at)).update();
            }
        }
        // A jti is kept 5 minutes past its assertion's expiry (validators allow clock skew).
        jdbc.sql("INSERT INTO client_assertion_jti (client_id, jti, expires_at) VALUES ('p', 'old', ?), ('p', 'live', ?)")
                .params(Timestamp.from(NOW.minusSeconds(301)), Timestamp.from(NOW.minusSeconds(299))).update();
        auditEvent("old", NOW.minus(AUDIT_KEEP).minusSeconds(1));
        auditEvent("kept", NOW.minus(AUDIT_KEEP).plusSeconds(1));
        dataRelease("old", NOW.minus(AUDIT_KEEP).minusSeconds(1));
        dataRelease("kept", NOW.minus(AUDIT_KEEP).plusSeconds(1));

        Map<String, Integer> deleted = job(500, 10, everyTable()).run();

        assertThat(deleted).containsEntry("login_in_flight.expired", 1)
                .containsEntry("login_transaction.used", 1).containsEntry("login_transaction.expired", 1)
                .containsEntry("oauth2_authorization", 1).containsEntry("session_portal", 1)
                .containsEntry("authorization_code_redemption", 1).containsEntry("retired_refresh_token", 1)
                .containsEntry("client_assertion_jti", 1).containsEntry("audit_event", 1).containsEntry("data_release", 1);
        assertThat(keys("SELECT state FROM login_transaction")).containsExactlyInAnyOrder("just-used", "in-flight");
        assertThat(keys("SELECT id FROM login_in_flight")).containsExactly("in-flight");
        assertThat(keys("SELECT id FROM oauth2_authorization")).containsExactly("refresh-alive");
        assertThat(keys("SELECT sid FROM session_portal")).containsExactly("alive");
        assertThat(keys("SELECT code_hash FROM authorization_code_redemption")).containsExactly("live");
        assertThat(keys("SELECT token_hash FROM retired_refresh_token")).containsExactly("live");
        assertThat(keys("SELECT jti FROM client_assertion_jti")).containsExactly("live");
        assertThat(keys("SELECT id FROM audit_event")).containsExactly("kept");
        assertThat(keys("SELECT id FROM data_release")).containsExactly("kept");
    }

    /** Spring Session's table (epoch milliseconds), the attributes going with their session by the cascade. */
    @Test
    void expiredBrowserSessionsGoWithTheirAttributes() {
        for (String id : List.of("expired", "alive")) {
            long expiry = (id.equals("expired") ? NOW.minusSeconds(1) : NOW.plusSeconds(60)).toEpochMilli();
            jdbc.sql("""
                    INSERT INTO spring_session (primary_id, session_id, creation_time, last_access_time,
                        max_inactive_interval, expiry_time) VALUES (?, ?, 0, 0, 1800, ?)""")
                    .params(id, "s-" + id, expiry).update();
            jdbc.sql("INSERT INTO spring_session_attributes (session_primary_id, attribute_name, attribute_bytes) VALUES (?, 'a', ?)")
                    .params(id, new byte[] {1, 2, 3}).update();
        }
        ExpiredRows sessions = ExpiredRows.olderThan("spring_session", "spring_session", List.of("primary_id"),
                "expiry_time < ?", Duration.ZERO).inEpochMillis();
        assertThat(job(500, 10, List.of(sessions)).run()).containsEntry("spring_session", 1);
        assertThat(keys("SELECT TRIM(primary_id) FROM spring_session")).containsExactly("alive");
        assertThat(keys("SELECT TRIM(session_primary_id) FROM spring_session_attributes")).containsExactly("alive");
    }

    @Test
    void aZeroRetentionKeepsAuditEventsAndReceipts() {
        auditEvent("ancient", NOW.minus(Duration.ofDays(3650)));
        dataRelease("ancient", NOW.minus(Duration.ofDays(3650)));
        Map<String, Integer> deleted = job(500, 10, List.of(JdbcAuditLog.expiredRows(Duration.ZERO),
                JdbcConsentLedger.expiredReceipts(Duration.ZERO))).run();
        assertThat(deleted).isEmpty();
        assertThat(keys("SELECT id FROM audit_event")).containsExactly("ancient");
        assertThat(keys("SELECT id FROM data_release")).containsExactly("ancient");
    }

    @Test
    void aBacklogGoesInBatchesAcrossRuns() {
        for (int i = 0; i < 25; i++) {
            loginRecord("old-" + i, NOW.minusSeconds(60), null);
        }
        loginRecord("in-flight", NOW.plusSeconds(60), null);
        RetentionJob job = job(4, 3, LoginTransactionStore.expiredRows());
        assertThat(job.run()).containsEntry("login_transaction.expired", 12); // 3 batches of 4, then the next run
        assertThat(job.run()).containsEntry("login_transaction.expired", 12);
        assertThat(job.run()).containsEntry("login_transaction.expired", 1);
        assertThat(keys("SELECT state FROM login_transaction")).containsExactly("in-flight");
    }

    @Test
    void twoNodesPurgingAtOnceDeleteEachRowOnce() {
        // One batch insert: the test data source opens a connection per statement.
        new JdbcTemplate(database).batchUpdate("""
                INSERT INTO oauth2_authorization (id, registered_client_id, principal_name, authorization_grant_type,
                    expires_at) VALUES (?, 'c', 'p', 'authorization_code', ?)""",
                java.util.stream.IntStream.range(0, 200)
                        .mapToObj(i -> new Object[] {"old-" + i, Timestamp.from(NOW.minusSeconds(60))}).toList());
        authorization("alive", NOW.plusSeconds(60));
        List<ExpiredRows> tables = List.of(JdbcAuthorizationStore.expiredRows());
        CompletableFuture<Map<String, Integer>> a = CompletableFuture.supplyAsync(() -> job(7, 100, tables).run());
        CompletableFuture<Map<String, Integer>> b = CompletableFuture.supplyAsync(() -> job(7, 100, tables).run());
        int total = a.join().get("oauth2_authorization") + b.join().get("oauth2_authorization");
        // A batch that lost a lock race is left for the next run; the next run finishes the rest.
        total += job(7, 100, tables).run().get("oauth2_authorization");
        assertThat(total).isEqualTo(200);
        assertThat(keys("SELECT id FROM oauth2_authorization")).containsExactly("alive");
    }

    private List<String> keys(String sql) {
        return jdbc.sql(sql).query(String.class).list();
    }

    private void loginRecord(String state, Instant expiresAt, Instant consumedAt) {
        jdbc.sql("""
                INSERT INTO login_transaction (state, connector_id, nonce, code_verifier, required_loa, resume_url,
                    ui_locale, browser_binding, created_at, expires_at, consumed_at)
                VALUES (?, 'demo', 'n', 'v', 'low', '/oauth2/authorize', 'fr', 'b', ?, ?, ?)""")
                .params(state, Timestamp.from(NOW.minusSeconds(600)), Timestamp.from(expiresAt),
                        consumedAt == null ? null : Timestamp.from(consumedAt))
                .update();
    }

    private void loginInFlight(String id, Instant expiresAt) {
        jdbc.sql("""
                INSERT INTO login_in_flight (id, browser_hash, request_key, resume_url, required_loa, created_at,
                    expires_at) VALUES (?, 'b', 'k', '/oauth2/authorize', 'low', ?, ?)""")
                .params(id, Timestamp.from(NOW.minusSeconds(600)), Timestamp.from(expiresAt)).update();
    }

    private void authorization(String id, Instant lastTokenExpiry) {
        jdbc.sql("""
                INSERT INTO oauth2_authorization (id, registered_client_id, principal_name, authorization_grant_type,
                    refresh_token_value, refresh_token_expires_at, expires_at) VALUES (?, 'c', 'p', 'authorization_code', ?, ?, ?)""")
                .params(id, "r-" + id, Timestamp.from(lastTokenExpiry), Timestamp.from(lastTokenExpiry)).update();
    }

    private void sessionPortal(String sid, Instant seenAt) {
        jdbc.sql("INSERT INTO session_portal (sid, client_id, subject, principal_name, seen_at) VALUES (?, 'c', 's', 'p', ?)")
                .params(sid, Timestamp.from(seenAt)).update();
    }

    private void auditEvent(String id, Instant at) {
        jdbc.sql("INSERT INTO audit_event (id, occurred_at, event_type, actor) VALUES (?, ?, 'LOGIN_SUCCEEDED', 'citizen')")
                .params(id, Timestamp.from(at)).update();
    }

    private void dataRelease(String id, Instant at) {
        jdbc.sql("INSERT INTO data_release (id, citizen_id, client_id, claims, loa, released_at) VALUES (?, 'c', 'p', 'sub', 'high', ?)")
                .params(id, Timestamp.from(at)).update();
    }
}

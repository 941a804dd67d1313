package io.passerelle.broker;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.passerelle.broker.LoginTransaction.ConsentQuestion;
import io.passerelle.broker.LoginTransaction.Upstream;
import io.passerelle.connector.Loa;
import io.passerelle.retention.ExpiredRows;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Logins in flight in the shared database ({@code login_in_flight}), so that any node serves any step.
 * Every read is bound to the browser (its cookie hash) or to the one-time upstream state; every one-time
 * step is one conditional UPDATE, so two requests racing for it cannot both win.
 */
public final class LoginTransactionStore {

    private static final String COLUMNS = "id, browser_hash, request_key, client_id, resume_url, redirect_uri, "
            + "portal_state, required_loa, idp_hint, max_age, prompt, ui_locales, login_hint, connector_id, "
            + "upstream_state, nonce, code_verifier, ui_locale, upstream_at, consent_citizen, consent_claims, "
            + "consent_expires_at, consent_answered_at, failure_reason, created_at, expires_at";

    /** Request attribute: the login the current page serves. */
    public static final String ATTRIBUTE = LoginTransaction.class.getName();

    private final JdbcClient jdbc;
    private final Clock clock;

    public LoginTransactionStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void create(LoginTransaction tx) {
        LoginDemand d = tx.demand();
        Upstream u = tx.upstream();
        ConsentQuestion q = tx.consent();
        jdbc.sql("INSERT INTO login_in_flight (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        + "?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(tx.id(), tx.browserHash(), tx.requestKey(), d.clientId(), d.resumeUrl(), d.redirectUri(),
                        d.state(), d.requiredLoa().configName(), d.idpHint(), d.maxAge(), String.join(" ", d.prompt()),
                        d.uiLocales(), d.loginHint(),
                        u == null ? null : u.connectorId(), u == null ? null : u.state(), u == null ? null : u.nonce(),
                        u == null ? null : u.codeVerifier(), u == null ? null : u.uiLocale(),
                        u == null ? null : Timestamp.from(u.at()),
                        q == null ? null : q.citizenId(), q == null ? null : String.join(" ", q.claims()),
                        q == null ? null : Timestamp.from(q.expiresAt()), null, tx.failure(),
                        Timestamp.from(tx.createdAt()), Timestamp.from(tx.expiresAt()))
                .update();
    }

    /** The unexpired login {@code id} of this browser. */
    public Optional<LoginTransaction> find(String id, String browserHash) {
        if (id == null || browserHash == null) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM login_in_flight WHERE id = ? AND browser_hash = ? AND expires_at > ?")
                .params(id, browserHash, Timestamp.from(clock.instant())).query(LoginTransactionStore::row).optional();
    }

    /**
     * The login named by the page's {@code login} parameter, if it is this browser's and unexpired; kept
     * as a request attribute ({@link #ATTRIBUTE}) for the rest of the request (the page's language).
     */
    public Optional<LoginTransaction> ofPage(jakarta.servlet.http.HttpServletRequest request) {
        Optional<LoginTransaction> login = find(request.getParameter(SignInRedirect.LOGIN_PARAMETER),
                BrowserCookie.hashOf(request));
        login.ifPresent(tx -> request.setAttribute(ATTRIBUTE, tx));
        return login;
    }

    /** The newest unexpired login of this browser for this very request (resumed after a sign-in or a consent). */
    public Optional<LoginTransaction> forRequest(String browserHash, String requestKey) {
        if (browserHash == null) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM login_in_flight WHERE browser_hash = ? AND request_key = ? "
                        + "AND expires_at > ? ORDER BY created_at DESC FETCH FIRST 1 ROWS ONLY")
                .params(browserHash, requestKey, Timestamp.from(clock.instant())).query(LoginTransactionStore::row)
                .optional();
    }

    /** The citizen chose a key: what goes upstream replaces what a previous choice sent (its answer is then refused). */
    public boolean startUpstream(LoginTransaction tx, Upstream upstream) {
        return jdbc.sql("UPDATE login_in_flight SET connector_id = ?, upstream_state = ?, nonce = ?, code_verifier = ?, "
                        + "ui_locale = ?, upstream_at = ? WHERE id = ? AND browser_hash = ? AND expires_at > ?")
                .params(upstream.connectorId(), upstream.state(), upstream.nonce(), upstream.codeVerifier(),
                        upstream.uiLocale(), Timestamp.from(upstream.at()), tx.id(), tx.browserHash(),
                        Timestamp.from(clock.instant()))
                .update() == 1;
    }

    /**
     * The login whose upstream answer this is, taken once: the state is cleared by one conditional
     * UPDATE, so a replayed or raced callback finds nothing. The login itself stays, so that the citizen
     * can choose a key again after a failed answer.
     */
    public Optional<LoginTransaction> consume(String upstreamState) {
        Timestamp now = Timestamp.from(clock.instant());
        Optional<LoginTransaction> tx = jdbc.sql("SELECT " + COLUMNS + " FROM login_in_flight WHERE upstream_state = ? "
                        + "AND expires_at > ?")
                .params(upstreamState, now).query(LoginTransactionStore::row).optional();
        if (tx.isEmpty()) {
            return tx;
        }
        int taken = jdbc.sql("UPDATE login_in_flight SET upstream_state = NULL WHERE id = ? AND upstream_state = ?")
                .params(tx.get().id(), upstreamState).update();
        return taken == 1 ? tx : Optional.empty();
    }

    /** Why the last attempt of this login failed (the citizen may try another key, or go back to the portal). */
    public void failed(LoginTransaction tx, String reason) {
        jdbc.sql("UPDATE login_in_flight SET failure_reason = ? WHERE id = ?").params(reason, tx.id()).update();
    }

    /** The consent question waiting on this login. */
    public void askConsent(LoginTransaction tx, ConsentQuestion question) {
        Instant expiry = tx.withConsent(question).expiresAt();
        jdbc.sql("UPDATE login_in_flight SET consent_citizen = ?, consent_claims = ?, consent_expires_at = ?, "
                        + "consent_answered_at = NULL, expires_at = ? WHERE id = ?")
                .params(question.citizenId(), String.join(" ", question.claims()), Timestamp.from(question.expiresAt()),
                        Timestamp.from(expiry), tx.id())
                .update();
    }

    /** The consent question is answered once: false for a replayed, lapsed or already answered one. */
    public boolean answerConsent(LoginTransaction tx) {
        Timestamp now = Timestamp.from(clock.instant());
        return jdbc.sql("UPDATE login_in_flight SET consent_answered_at = ? WHERE id = ? AND browser_hash = ? "
                        + "AND consent_claims IS NOT NULL AND consent_answered_at IS NULL AND consent_expires_at > ?")
                .params(now, tx.id(), tx.browserHash(), now).update() == 1;
    }

    /** The logins of this request are over (its code was issued): consumed, they cannot serve again. */
    public void complete(String browserHash, String requestKey) {
        jdbc.sql("DELETE FROM login_in_flight WHERE browser_hash = ? AND request_key = ?")
                .params(browserHash, requestKey).update();
    }

    /** For the metrics: {in flight (unexpired), stored (every row the purge has not deleted yet)}. */
    public long[] counts() {
        Timestamp now = Timestamp.from(clock.instant());
        long inFlight = jdbc.sql("SELECT COUNT(*) FROM login_in_flight WHERE expires_at > ?")
                .param(now).query(Long.class).single();
        long stored = jdbc.sql("SELECT COUNT(*) FROM login_in_flight").query(Long.class).single();
        return new long[] {inFlight, stored};
    }

    /**
     * Logins go once expired (a completed one is deleted when its code is issued): they are evidence for
     * nothing afterwards, the audit trail keeps what happened. The rows of {@code login_transaction},
     * which nodes of the previous version wrote, go a minute after their use or once expired.
     */
    public static List<ExpiredRows> expiredRows() {
        return List.of(
                ExpiredRows.olderThan("login_in_flight.expired", "login_in_flight", List.of("id"),
                        "expires_at < ?", Duration.ZERO),
                ExpiredRows.olderThan("login_transaction.used", "login_transaction", List.of("state"),
                        "consumed_at < ?", Duration.ofMinutes(1)),
                ExpiredRows.olderThan("login_transaction.expired", "login_transaction", List.of("state"),
                        "expires_at < ?", Duration.ZERO));
    }

    private static LoginTransaction row(ResultSet rs, int row) throws SQLException {
        Number maxAge = (Number) rs.getObject("max_age");
        LoginDemand demand = new LoginDemand(rs.getString("client_id"), rs.getString("redirect_uri"),
                rs.getString("portal_state"), Loa.fromName(rs.getString("required_loa")), rs.getString("idp_hint"),
                maxAge == null ? null : maxAge.longValue(), words(rs.getString("prompt")), rs.getString("ui_locales"),
                rs.getString("login_hint"), instant(rs, "created_at"), rs.getString("resume_url"));
        Upstream upstream = rs.getString("connector_id") == null ? null
                : new Upstream(rs.getString("connector_id"), rs.getString("upstream_state"), rs.getString("nonce"),
                        rs.getString("code_verifier"), rs.getString("ui_locale"), instant(rs, "upstream_at"));
        String claims = rs.getString("consent_claims");
        ConsentQuestion consent = claims == null ? null
                : new ConsentQuestion(rs.getString("consent_citizen"), List.copyOf(words(claims)),
                        instant(rs, "consent_expires_at"), instant(rs, "consent_answered_at"));
        return new LoginTransaction(rs.getString("id"), rs.getString("browser_hash"), rs.getString("request_key"),
                demand, upstream, consent, rs.getString("failure_reason"), instant(rs, "created_at"),
                instant(rs, "expires_at"));
    }

    private static Set<String> words(String text) {
        return text == null || text.isBlank() ? Set.of() : new java.util.LinkedHashSet<>(Arrays.asList(text.split(" ")));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}

package io.passerelle.broker;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;
import io.passerelle.audit.ReferenceCode;
import io.passerelle.connector.Callback;
import io.passerelle.connector.Connector;
import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorRegistry;
import io.passerelle.connector.LoginContext;
import io.passerelle.connector.UpstreamIdentity;
import io.passerelle.identity.CitizenDirectory;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import io.passerelle.identity.CitizenAuthentication;
import io.passerelle.identity.AttributeSeal;
import io.passerelle.portal.PortalConfig;
import io.passerelle.portal.PortalRegistry;

/**
 * Runs one login: {@link #start} records in the login ({@link LoginTransaction}) what goes upstream
 * and asks the connector where to send the browser; {@link #finish} takes the upstream answer once,
 * checks it comes back to the browser that left, lets the connector verify it, links the citizen and
 * signs them into the browser session, then returns the portal's request to resume. Every step is
 * audited; every failure has a reference code.
 */
public final class Broker {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConnectorRegistry connectors;
    private final LoginTransactionStore transactions;
    private final CitizenDirectory citizens;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration loginTimeout;
    private final AttributeSeal seal;
    private final PortalRegistry portals;
    private final HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

    public Broker(ConnectorRegistry connectors, LoginTransactionStore transactions, CitizenDirectory citizens,
                  AuditLog audit, Clock clock, Duration loginTimeout, AttributeSeal seal, PortalRegistry portals) {
        this.connectors = connectors;
        this.transactions = transactions;
        this.citizens = citizens;
        this.audit = audit;
        this.clock = clock;
        this.loginTimeout = loginTimeout;
        this.seal = seal;
        this.portals = portals;
    }

    /** A new login for this demand in this browser; recorded by {@link #record} or {@link #startNew}. */
    public LoginTransaction draft(LoginDemand demand, String browserHash) {
        Instant now = clock.instant();
        return new LoginTransaction(random(32), browserHash, LoginTransaction.requestKey(demand.resumeUrl()), demand,
                null, null, null, now, now.plus(loginTimeout));
    }

    /** Records a login whose citizen has a key to choose. */
    public void record(LoginTransaction draft) {
        transactions.create(draft);
    }

    /** Records a login and starts it with {@code connector} at once (nothing to choose): one statement. */
    public URI startNew(Connector connector, LoginTransaction draft, Locale locale) {
        return start(connector, draft, locale, (tx, upstream) -> {
            transactions.create(tx.withUpstream(upstream));
            return true;
        });
    }

    /** Where to send the browser to sign in with {@code connector} for the recorded login {@code tx}. */
    public URI start(Connector connector, LoginTransaction tx, Locale locale) {
        return start(connector, tx, locale, transactions::startUpstream);
    }

    private URI start(Connector connector, LoginTransaction tx, Locale locale,
                      java.util.function.BiPredicate<LoginTransaction, LoginTransaction.Upstream> persist) {
        LoginDemand demand = tx.demand();
        if (!connector.maxLoa().satisfies(demand.requiredLoa())) {
            throw failure("loa-not-met", connector.id(), tx, "connector below the required level", null);
        }
        LoginTransaction.Upstream upstream = new LoginTransaction.Upstream(connector.id(), random(32), random(32),
                random(32), locale.getLanguage(), clock.instant());
        if (!persist.test(tx, upstream)) {
            throw failure("expired", connector.id(), tx, "the login expired before a key was chosen", null);
        }
        audit.record(AuditEvent.of(AuditType.LOGIN_STARTED).actor("citizen").client(demand.clientId())
                .connector(connector.id()).detail("required_loa", demand.requiredLoa().configName()));
        try {
            return connector.start(context(upstream, tx, connector, demand.loginHint()));
        } catch (ConnectorException e) {
            throw failure(reason(e), connector.id(), tx, e.check() + ": " + e.getMessage(), e);
        }
    }

    /** Verifies the callback and signs the citizen in; returns the portal request to resume. */
    public String finish(String connectorId, Callback callback, HttpServletRequest request, HttpServletResponse response) {
        String state = callback.parameter("state");
        LoginTransaction tx = state == null ? null : transactions.consume(state).orElse(null);
        if (tx == null) {
            throw failure("expired", connectorId, null, "callback with an unknown, used or expired state", null);
        }
        request.setAttribute(LoginTransactionStore.ATTRIBUTE, tx); // the error page speaks the login's language
        LoginTransaction.Upstream upstream = tx.upstream();
        if (!upstream.connectorId().equals(connectorId)) {
            throw failure("invalid-response", connectorId, tx, "callback on another connector's path", null);
        }
        if (!tx.browserHash().equals(BrowserCookie.hashOf(request))) {
            throw failure("wrong-browser", connectorId, tx, "callback in another browser than the login", null);
        }
        Connector connector = connectors.find(connectorId).orElseThrow(
                () -> failure("misconfigured", connectorId, tx, "connector no longer configured", null));
        UpstreamIdentity identity;
        try {
            identity = connector.finish(context(upstream, tx, connector, null), callback);
        } catch (ConnectorException e) {
            throw failure(reason(e), connectorId, tx, e.check() + ": " + e.getMessage(), e);
        }
        if (!identity.loa().satisfies(tx.demand().requiredLoa())) {
            throw failure("loa-not-met", connectorId, tx, "achieved " + identity.loa().configName()
                    + ", required " + tx.demand().requiredLoa().configName(), null);
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), Minors.BELGIUM);
        PortalConfig portal = tx.clientId() == null ? null : portals.portal(tx.clientId()).orElse(null);
        if (portal != null && portal.minors() == PortalConfig.Minors.REFUSE && Minors.minor(identity.attributes(), today)) {
            // Before the citizen is linked or signed in: nothing of the child is kept for this portal.
            throw failure("minor-refused", connectorId, tx, "the portal does not serve minors (minors: refuse)",
                    null);
        }
        String citizen = citizens.citizenFor(identity);
        HttpSession session = request.getSession(false);
        if (session != null) {
            // A new session id at every privilege change (session fixation, OWASP ASVS 3.2.1).
            request.changeSessionId();
        } else {
            session = request.getSession(true); // the browser's first sign-in: its session starts here
        }
        CitizenAuthentication authentication = CitizenAuthentication.of(citizen, connectorId, identity.loa().uri(),
                identity.amr(), identity.authTime(), Minors.withAgeClaims(identity.attributes(), today), seal)
                .inBrowser(CitizenAuthentication.browserSid(session));
        if (tx.demand().uiLocales() != null) {
            session.setAttribute(LoginDemand.SIGN_IN_UI_LOCALES, tx.demand().uiLocales());
        }
        SecurityContext securityContext = SecurityContextHolder.createEmptyContext();
        securityContext.setAuthentication(authentication);
        SecurityContextHolder.setContext(securityContext);
        contexts.saveContext(securityContext, request, response);
        audit.record(AuditEvent.of(AuditType.UPSTREAM_AUTHENTICATED).actor("citizen").client(tx.clientId())
                .connector(connectorId).citizen(citizen).detail("loa", identity.loa().configName())
                .detail("amr", String.join(" ", identity.amr())));
        return tx.resumeUrl();
    }

    private LoginContext context(LoginTransaction.Upstream upstream, LoginTransaction tx, Connector connector,
                                 String loginHint) {
        return new LoginContext(upstream.state(), upstream.nonce(), upstream.codeVerifier(), callbackUri(connector),
                tx.demand().requiredLoa(), upstream.uiLocale(), loginHint);
    }

    private URI callbackUri(Connector connector) {
        return connectors.callbackUri(connector.id());
    }

    private LoginFailure failure(String reason, String connectorId, LoginTransaction tx, String message, Throwable cause) {
        String reference = ReferenceCode.next();
        audit.record(AuditEvent.of(AuditType.LOGIN_FAILED).actor("citizen").client(tx == null ? null : tx.clientId())
                .connector(connectorId).reference(reference).reason(reason + ": " + message));
        if (tx != null) {
            transactions.failed(tx, reason);
        }
        return new LoginFailure(reason, reference, connectorId, tx == null ? null : tx.id(), message, cause);
    }

    /** What the citizen is told: the connector's own explanation (an eID card's refusals), else the kind's page. */
    static String reason(ConnectorException e) {
        return e.citizenReason() != null ? e.citizenReason() : reason(e.kind());
    }

    static String reason(ConnectorException.Kind kind) {
        return switch (kind) {
            case CANCELLED -> "cancelled";
            case UNAVAILABLE -> "unavailable";
            case TIMEOUT -> "timeout";
            case UNREACHABLE -> "unreachable";
            case SERVER_ERROR -> "server-error";
            case UPSTREAM_ERROR -> "upstream-error";
            case INVALID_RESPONSE -> "invalid-response";
            case LOA_NOT_MET -> "loa-not-met";
            case MISCONFIGURED -> "misconfigured";
        };
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}

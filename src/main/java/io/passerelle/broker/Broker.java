package io.passerelle.broker;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HexFormat;
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
 * Runs one login: {@link #start} stores a {@link LoginTransaction} and asks the connector where to
 * send the browser; {@link #finish} consumes the transaction once, lets the connector verify the
 * upstream answer, links the citizen and signs them into the browser session, then returns the
 * portal's request to resume. Every step is audited; every failure has a reference code.
 */
public final class Broker {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BINDING = "passerelle.browser-binding";
    /** Ages change at midnight where the citizens live. */
    private static final java.time.ZoneId BELGIUM = java.time.ZoneId.of("Europe/Brussels");

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

    /** Where to send the browser to sign in with {@code connector} for {@code demand}. */
    public URI start(Connector connector, LoginDemand demand, String resumeUrl, Locale locale, HttpSession session) {
        if (!connector.maxLoa().satisfies(demand.requiredLoa())) {
            throw failure("loa-not-met", connector.id(), demand.clientId(), "connector below the required level", null);
        }
        Instant now = clock.instant();
        LoginTransaction tx = new LoginTransaction(random(32), connector.id(), demand.clientId(), random(32), random(32),
                demand.requiredLoa(), resumeUrl, locale.getLanguage(), sha256(binding(session)), now,
                now.plus(loginTimeout));
        transactions.save(tx);
        session.setAttribute(LoginPolicyValidator.LOGIN_STARTED_AT, now);
        audit.record(AuditEvent.of(AuditType.LOGIN_STARTED).actor("citizen").client(demand.clientId())
                .connector(connector.id()).detail("required_loa", demand.requiredLoa().configName()));
        try {
            return connector.start(context(tx, connector, demand.loginHint()));
        } catch (ConnectorException e) {
            throw failure(reason(e), connector.id(), demand.clientId(), e.check() + ": " + e.getMessage(), e);
        }
    }

    /** Verifies the callback and signs the citizen in; returns the portal request to resume. */
    public String finish(String connectorId, Callback callback, HttpServletRequest request, HttpServletResponse response) {
        String state = callback.parameter("state");
        LoginTransaction tx = state == null ? null : transactions.consume(state).orElse(null);
        if (tx == null) {
            throw failure("expired", connectorId, null, "callback with an unknown, used or expired state", null);
        }
        if (!tx.connectorId().equals(connectorId)) {
            throw failure("invalid-response", connectorId, tx.clientId(), "callback on another connector's path", null);
        }
        HttpSession session = request.getSession(false);
        if (session == null || !sha256(binding(session)).equals(tx.browserBinding())) {
            throw failure("wrong-browser", connectorId, tx.clientId(), "callback in another browser than the login", null);
        }
        Connector connector = connectors.find(connectorId).orElseThrow(
                () -> failure("misconfigured", connectorId, tx.clientId(), "connector no longer configured", null));
        UpstreamIdentity identity;
        try {
            identity = connector.finish(context(tx, connector, null), callback);
        } catch (ConnectorException e) {
            throw failure(reason(e), connectorId, tx.clientId(), e.check() + ": " + e.getMessage(), e);
        }
        if (!identity.loa().satisfies(tx.requiredLoa())) {
            throw failure("loa-not-met", connectorId, tx.clientId(), "achieved " + identity.loa().configName()
                    + ", required " + tx.requiredLoa().configName(), null);
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), BELGIUM);
        PortalConfig portal = tx.clientId() == null ? null : portals.portal(tx.clientId()).orElse(null);
        if (portal != null && portal.minors() == PortalConfig.Minors.REFUSE && Minors.minor(identity.attributes(), today)) {
            // Before the citizen is linked or signed in: nothing of the child is kept for this portal.
            throw failure("minor-refused", connectorId, tx.clientId(), "the portal does not serve minors (minors: refuse)",
                    null);
        }
        String citizen = citizens.citizenFor(identity);
        CitizenAuthentication authentication = CitizenAuthentication.of(citizen, connectorId, identity.loa().uri(),
                identity.amr(), identity.authTime(), Minors.withAgeClaims(identity.attributes(), today), seal).inBrowser(CitizenAuthentication.browserSid(session));
        // A new session id at every privilege change (session fixation, OWASP ASVS 3.2.1).
        request.changeSessionId();
        SecurityContext securityContext = SecurityContextHolder.createEmptyContext();
        securityContext.setAuthentication(authentication);
        SecurityContextHolder.setContext(securityContext);
        contexts.saveContext(securityContext, request, response);
        audit.record(AuditEvent.of(AuditType.UPSTREAM_AUTHENTICATED).actor("citizen").client(tx.clientId())
                .connector(connectorId).citizen(citizen).detail("loa", identity.loa().configName())
                .detail("amr", String.join(" ", identity.amr())));
        return tx.resumeUrl();
    }

    private LoginContext context(LoginTransaction tx, Connector connector, String loginHint) {
        return new LoginContext(tx.state(), tx.nonce(), tx.codeVerifier(), callbackUri(connector), tx.requiredLoa(),
                tx.uiLocale(), loginHint);
    }

    private URI callbackUri(Connector connector) {
        return connectors.callbackUri(connector.id());
    }

    private LoginFailure failure(String reason, String connectorId, String clientId, String message, Throwable cause) {
        String reference = ReferenceCode.next();
        audit.record(AuditEvent.of(AuditType.LOGIN_FAILED).actor("citizen").client(clientId).connector(connectorId)
                .reference(reference).reason(reason + ": " + message));
        return new LoginFailure(reason, reference, connectorId, message, cause);
    }

    /** What the citizen is told: the connector's own explanation (an eID card's refusals), else the kind's page. */
    static String reason(ConnectorException e) {
        return e.citizenReason() != null ? e.citizenReason() : reason(e.kind());
    }

    static String reason(ConnectorException.Kind kind) {
        return switch (kind) {
            case CANCELLED -> "cancelled";
            case UNAVAILABLE -> "unavailable";
            case UPSTREAM_ERROR -> "upstream-error";
            case INVALID_RESPONSE -> "invalid-response";
            case LOA_NOT_MET -> "loa-not-met";
            case MISCONFIGURED -> "misconfigured";
        };
    }

    private static String binding(HttpSession session) {
        String value = (String) session.getAttribute(BINDING);
        if (value == null) {
            value = random(32);
            session.setAttribute(BINDING, value);
        }
        return value;
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}

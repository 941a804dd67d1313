package io.passerelle.broker;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.passerelle.connector.Connector;
import io.passerelle.connector.ConnectorRegistry;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.util.UriUtils;

/**
 * Sends the browser to sign in for a demand: records the login ({@link LoginTransaction}), bound to
 * this browser's login cookie, and redirects to the key chooser, or straight to the provider when
 * there is nothing to choose (a portal's {@code idp_hint}, or a single key that reaches the level),
 * sparing the browser the round trip to the chooser. For a step-up (a higher LoA, {@code prompt=login},
 * {@code max_age}) the old sign-in is dropped from the session first, so that a citizen who gives up is
 * not left signed in at a level the portal refused.
 */
public final class SignInRedirect {

    public static final String SIGN_IN_PAGE = "/signin";
    /** The parameter naming the login in flight on the gateway's own pages. */
    public static final String LOGIN_PARAMETER = "login";

    private final HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
    private final ConnectorRegistry connectors;
    private final io.passerelle.portal.PortalRegistry portals;
    private final Broker broker;
    private final BrowserCookie cookie;
    private final LocaleResolver locales;

    public SignInRedirect(ConnectorRegistry connectors, io.passerelle.portal.PortalRegistry portals, Broker broker,
                          BrowserCookie cookie, LocaleResolver locales) {
        this.connectors = connectors;
        this.portals = portals;
        this.broker = broker;
        this.cookie = cookie;
        this.locales = locales;
    }

    public void send(HttpServletRequest request, HttpServletResponse response, LoginDemand demand) throws IOException {
        SecurityContextHolder.clearContext();
        if (request.getSession(false) != null) {
            io.passerelle.identity.CitizenAuthentication.keepBrowserSid(request.getSession(false));
            contexts.saveContext(SecurityContextHolder.createEmptyContext(), request, response);
        }
        LoginTransaction login = broker.draft(demand, cookie.bind(request, response));
        Optional<Connector> automatic = KeyChoice.automatic(connectors, portals, demand);
        if (automatic.isEmpty()) {
            broker.record(login);
            response.sendRedirect(pageOf(request, login.id()));
            return;
        }
        try {
            URI upstream = broker.startNew(automatic.get(), login, locales.resolveLocale(request));
            response.sendRedirect(upstream.toString());
        } catch (LoginFailure failure) {
            // The chooser page shows what went wrong (the failure recorded under its reference), with another
            // key to choose and the way back to the portal.
            response.sendRedirect(pageOf(request, login.id()) + "&reference="
                    + UriUtils.encodeQueryParam(failure.reference(), StandardCharsets.UTF_8));
        }
    }

    /** The key chooser of login {@code id}. */
    public static String pageOf(HttpServletRequest request, String id) {
        return request.getContextPath() + SIGN_IN_PAGE + "?" + LOGIN_PARAMETER + "=" + id;
    }
}

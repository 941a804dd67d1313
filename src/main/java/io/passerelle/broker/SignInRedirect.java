package io.passerelle.broker;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import io.passerelle.connector.ConnectorRegistry;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

/**
 * Sends the browser to the key chooser; the request to resume after the sign-in travels in the
 * {@link LoginDemand} that the login policy recorded. Used when there is no session, and for step-up (a higher LoA, {@code prompt=login},
 * {@code max_age}): the old sign-in is dropped from the session first, so that a citizen who gives up
 * is not left signed in at a level the portal refused.
 */
public final class SignInRedirect {

    public static final String SIGN_IN_PAGE = "/signin";

    private final HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
    private final ConnectorRegistry connectors;
    private final io.passerelle.portal.PortalRegistry portals;

    public SignInRedirect(ConnectorRegistry connectors, io.passerelle.portal.PortalRegistry portals) {
        this.connectors = connectors;
        this.portals = portals;
    }

    public void send(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        SecurityContextHolder.clearContext();
        contexts.saveContext(SecurityContextHolder.createEmptyContext(), request, response);
        HttpSession session = request.getSession(false);
        LoginDemand demand = session == null ? null : (LoginDemand) session.getAttribute(LoginDemand.SESSION_ATTRIBUTE);
        if (demand != null && KeyChoice.automatic(connectors, portals, demand).isPresent() && "GET".equals(request.getMethod())) {
            // Nothing to choose: the sign-in page starts the login at once, so serve it in this request
            // and spare the browser a round trip (the page answers with the redirect upstream). Not for a
            // form-posted request: the page is a GET route, and a forward keeps the method.
            request.getRequestDispatcher(SIGN_IN_PAGE).forward(request, response);
            return;
        }
        response.sendRedirect(request.getContextPath() + SIGN_IN_PAGE);
    }
}

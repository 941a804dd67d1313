package io.passerelle.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.passerelle.broker.Broker;
import io.passerelle.broker.LoginDemand;
import io.passerelle.broker.LoginTransaction;
import io.passerelle.broker.LoginTransactionStore;
import io.passerelle.broker.LoginFailure;
import io.passerelle.connector.Callback;
import io.passerelle.connector.eid.ClientCertificates;
import io.passerelle.connector.eid.EidConnector;
import io.passerelle.connector.eid.EidListenerProperties;
import io.passerelle.config.IssuerProperties;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.servlet.ModelAndView;

/**
 * Where upstream providers send the browser back ({@code /broker/callback/<connector>}), and the way
 * back to the portal for a citizen who gives up ({@code /broker/abandon}: the portal gets
 * {@code access_denied}, RFC 6749 4.1.2.1, with {@code iss}, RFC 9207).
 */
@Controller
public class BrokerCallbackController {

    private final Broker broker;
    private final LoginTransactionStore logins;
    private final String issuer;
    private final ClientCertificates eidCertificates;

    private final ErrorPages errorPages;

    public BrokerCallbackController(Broker broker, LoginTransactionStore logins, IssuerProperties issuer,
                                    EidListenerProperties eidListener, ErrorPages errorPages) {
        this.broker = broker;
        this.logins = logins;
        this.errorPages = errorPages;
        this.issuer = issuer.issuerId();
        this.eidCertificates = new ClientCertificates(eidListener);
    }

    /**
     * Where the eID connector sends the browser: on the eID TLS listener the client certificate chain comes
     * from the handshake; in reverse-proxy mode from the configured header, and only from a configured
     * proxy address ({@link ClientCertificates}). On any other port the route does not exist
     * ({@code EidListenerConfiguration}), and a certificate header from anyone else is ignored and logged.
     */
    @GetMapping(EidConnector.PATH + "{connectorId}")
    public ModelAndView eidCallback(@PathVariable String connectorId, HttpServletRequest request,
                                    HttpServletResponse response, Model model) {
        return finish(connectorId, eidCertificates.callbackFrom(request), request, response, model);
    }

    @GetMapping("/broker/callback/{connectorId}")
    public ModelAndView callback(@PathVariable String connectorId, HttpServletRequest request,
                                 HttpServletResponse response, Model model) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            if (parameter.getValue().length != 1) {
                // A repeated parameter (RFC 6749 3.1) is refused like any other forged answer.
                parameters.clear();
                break;
            }
            parameters.put(parameter.getKey(), parameter.getValue()[0]);
        }
        return finish(connectorId, new Callback(parameters, List.of()), request, response, model);
    }

    /** One way out of every connector's callback: the portal's request resumes, or the citizen reads why not. */
    private ModelAndView finish(String connectorId, Callback callback, HttpServletRequest request,
                                HttpServletResponse response, Model model) {
        try {
            // The portal's request resumes with one redirect to the address the login recorded: the browser
            // asks again, on whichever node, with the new session cookie. A ready view, not a "redirect:"
            // name: each address differs, and no model attribute may leak into it.
            return new ModelAndView(SignInController.ready(broker.finish(connectorId, callback, request, response)));
        } catch (LoginFailure failure) {
            return new ModelAndView(errorPages.loginFailure(failure, response, model));
        }
    }

    @GetMapping("/broker/abandon")
    public String abandon(HttpServletRequest request) {
        LoginTransaction login = logins.ofPage(request).orElse(null);
        if (login == null) {
            return "signin-no-request";
        }
        LoginDemand demand = login.demand();
        String failed = login.failure();
        if (demand.redirectUri() == null) {
            return "redirect:" + AccountController.ACCOUNT_PAGE; // signing in to the account page, not to a portal
        }
        if (failed == null) {
            return AccessDenied.redirect(demand.redirectUri(), demand.state(), issuer,
                    "the citizen did not complete the sign-in");
        }
        // The portal learns why (an outage is not a refusal: it may offer to try again later), never the details.
        return AccessDenied.redirect(LoginFailure.portalError(failed), demand.redirectUri(), demand.state(), issuer,
                "the sign-in with the chosen key failed: " + failed);
    }
}

package io.passerelle.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import io.passerelle.broker.Broker;
import io.passerelle.broker.LoginDemand;
import io.passerelle.broker.LoginFailure;
import io.passerelle.connector.Callback;
import io.passerelle.issuer.IssuerProperties;
import io.passerelle.issuer.ReplacedParametersRequest;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * Where upstream providers send the browser back ({@code /broker/callback/<connector>}), and the way
 * back to the portal for a citizen who gives up ({@code /broker/abandon}: the portal gets
 * {@code access_denied}, RFC 6749 4.1.2.1, with {@code iss}, RFC 9207).
 */
@Controller
public class BrokerCallbackController {

    private final Broker broker;
    private final String issuer;

    public BrokerCallbackController(Broker broker, IssuerProperties issuer) {
        this.broker = broker;
        this.issuer = issuer.issuerId();
    }

    @GetMapping("/broker/callback/{connectorId}")
    public String callback(@PathVariable String connectorId, HttpServletRequest request, HttpServletResponse response,
                           Model model) throws ServletException, IOException {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            if (parameter.getValue().length != 1) {
                // A repeated parameter (RFC 6749 3.1) is refused like any other forged answer.
                parameters.clear();
                break;
            }
            parameters.put(parameter.getKey(), parameter.getValue()[0]);
        }
        try {
            String resume = broker.finish(connectorId, new Callback(parameters, List.of()), request, response);
            if (resume.startsWith(issuer + "/oauth2/authorize?")) {
                // The portal's request is served in this same exchange, not after a round trip through the
                // browser: the authorization endpoint answers with the redirect to the portal.
                String target = resume.substring(issuer.length());
                request.getRequestDispatcher(target).forward(
                        onlyForwardedQuery(request, target.substring(target.indexOf('?') + 1)), response);
                return null;
            }
            return "redirect:" + resume;
        } catch (LoginFailure failure) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return LoginErrorPage.render(failure, model);
        }
    }

    /**
     * The callback's own parameters (the upstream code and state) must not mix with the resumed
     * request's, and the container inserts its forward wrapper beneath this one: so this view answers
     * with exactly the resumed request's query, and nothing of the callback's.
     */
    private static HttpServletRequest onlyForwardedQuery(HttpServletRequest request, String rawQuery) {
        Map<String, String[]> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            parameters.merge(name, new String[] {value}, (a, b) -> java.util.stream.Stream.concat(
                    java.util.Arrays.stream(a), java.util.Arrays.stream(b)).toArray(String[]::new));
        }
        return new ReplacedParametersRequest(request, parameters, rawQuery);
    }

    @GetMapping("/broker/abandon")
    public String abandon(HttpSession session) {
        LoginDemand demand = (LoginDemand) session.getAttribute(LoginDemand.SESSION_ATTRIBUTE);
        if (demand == null) {
            return "signin-no-request";
        }
        session.removeAttribute(LoginDemand.SESSION_ATTRIBUTE);
        if (demand.redirectUri() == null) {
            return "redirect:" + AccountController.ACCOUNT_PAGE; // signing in to the account page, not to a portal
        }
        return AccessDenied.redirect(demand.redirectUri(), demand.state(), issuer,
                "the citizen did not complete the sign-in");
    }
}

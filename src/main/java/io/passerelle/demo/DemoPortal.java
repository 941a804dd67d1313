package io.passerelle.demo;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.http.HttpSession;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import io.passerelle.config.IssuerProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * DEMO ONLY: a portal as a municipality would build one, using Nimbus oauth2-oidc-sdk against the
 * gateway over real HTTP: authorization code with PKCE (a public client), the code exchanged at the
 * token endpoint, and the ID token verified against the published JWKS before its claims are shown.
 */
@Controller
@ConditionalOnProperty(name = "passerelle.demo.enabled", havingValue = "true")
@RequestMapping(DemoPortal.PATH)
public class DemoPortal {

    static final String PATH = "/demo/portal";
    static final String CLIENT_ID = "demo-portal";
    /**
     * The second demo portal (config/demo/clients/demo-federal-portal.yml): it asks the national number under a
     * legal basis, so the demo shows the legal-basis line of the consent page and the number arriving.
     */
    static final String FEDERAL_CLIENT_ID = "demo-federal-portal";
    static final String FEDERAL = "/federal";
    private static final String SESSION = "passerelle.demo-portal.login";

    private final String issuer;

    record PendingLogin(State state, Nonce nonce, CodeVerifier verifier, String clientId) implements java.io.Serializable {
    }

    /** Built once: it keeps the gateway's keys cached (fetched on first use), as a portal's validator does. */
    private final com.nimbusds.openid.connect.sdk.validators.LogoutTokenValidator logoutTokens;

    public DemoPortal(IssuerProperties gateway) throws java.net.MalformedURLException {
        this.issuer = gateway.issuerId();
        this.logoutTokens = new com.nimbusds.openid.connect.sdk.validators.LogoutTokenValidator(new Issuer(issuer),
                new ClientID(CLIENT_ID), JWSAlgorithm.RS256, URI.create(issuer + "/oauth2/jwks").toURL());
    }

    /** The last logout tokens this portal received, newest first: shown on its page, gone at restart. */
    private final java.util.Deque<String> logoutsReceived = new java.util.concurrent.ConcurrentLinkedDeque<>();

    @GetMapping
    public String home(Model model) {
        model.addAttribute("logouts", java.util.List.copyOf(logoutsReceived));
        return "demo/portal";
    }

    /** The demo eID cards, listed on every rendering of the page. */
    @org.springframework.web.bind.annotation.ModelAttribute("eidCards")
    java.util.List<DemoPki.Card> eidCards() {
        return DemoPki.CARD_LIST;
    }

    /**
     * The portal's back-channel logout endpoint (OIDC Back-Channel Logout 1.0, 2.5 and 2.8), as a portal
     * writes it: the gateway posts a logout token when the citizen signs out elsewhere; it is checked with
     * Nimbus (signature against the published keys, iss, aud, iat, the event, no nonce), and a real portal
     * would now end its session for that {@code sid}. 200 for a valid token, 400 for anything else.
     */
    @org.springframework.web.bind.annotation.PostMapping(path = "/backchannel-logout",
            consumes = "application/x-www-form-urlencoded")
    public org.springframework.http.ResponseEntity<Void> backChannelLogout(@RequestParam("logout_token") String token) {
        try {
            var claims = logoutTokens.validate(com.nimbusds.jwt.JWTParser.parse(token));
            logoutsReceived.addFirst(java.time.Instant.now() + ": sub " + claims.getSubject() + ", sid " + claims.getSessionID());
            while (logoutsReceived.size() > 5) {
                logoutsReceived.pollLast();
            }
            return org.springframework.http.ResponseEntity.ok().header("Cache-Control", "no-store").build();
        } catch (Exception e) {
            return org.springframework.http.ResponseEntity.badRequest().header("Cache-Control", "no-store").build();
        }
    }

    @GetMapping("/login")
    public String login(@RequestParam(defaultValue = "substantial") String level,
                        @RequestParam(defaultValue = "city") String portal, HttpSession session) {
        boolean federal = "federal".equals(portal);
        String clientId = federal ? FEDERAL_CLIENT_ID : CLIENT_ID;
        PendingLogin pending = new PendingLogin(new State(), new Nonce(), new CodeVerifier(), clientId);
        session.setAttribute(SESSION, pending);
        Scope scope = federal ? new Scope("openid", "profile", "national_number") : new Scope("openid", "profile", "age");
        AuthenticationRequest.Builder request = new AuthenticationRequest.Builder(ResponseType.CODE,
                scope, new ClientID(clientId), callback(clientId))
                .endpointURI(URI.create(issuer + "/oauth2/authorize"))
                .state(pending.state()).nonce(pending.nonce()).codeChallenge(pending.verifier(), CodeChallengeMethod.S256);
        if ("high".equals(level)) {
            request.customParameter("acr_values", "http://eidas.europa.eu/LoA/high");
        }
        return "redirect:" + request.build().toURI();
    }

    @GetMapping("/callback")
    public String callback(@RequestParam Map<String, String> query, HttpSession session, Model model) {
        return finish(CLIENT_ID, query, session, model);
    }

    @GetMapping(FEDERAL + "/callback")
    public String federalCallback(@RequestParam Map<String, String> query, HttpSession session, Model model) {
        return finish(FEDERAL_CLIENT_ID, query, session, model);
    }

    private String finish(String clientId, Map<String, String> query, HttpSession session, Model model) {
        PendingLogin pending = (PendingLogin) session.getAttribute(SESSION);
        session.removeAttribute(SESSION);
        model.addAttribute("portal", clientId);
        try {
            AuthorizationResponse response = AuthorizationResponse.parse(callback(clientId), toMulti(query));
            if (pending != null && !clientId.equals(pending.clientId())) {
                throw new IllegalStateException("this browser's login was for another demo portal");
            }
            if (pending == null || !pending.state().equals(response.getState())) {
                throw new IllegalStateException("state does not match a login of this browser");
            }
            if (response.getIssuer() == null || !issuer.equals(response.getIssuer().getValue())) {
                throw new IllegalStateException("iss missing or not the gateway (RFC 9207)");
            }
            if (!response.indicatesSuccess()) {
                model.addAttribute("error", response.toErrorResponse().getErrorObject().getCode());
                return "demo/portal";
            }
            AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();
            TokenResponse tokens = OIDCTokenResponseParser.parse(new TokenRequest(URI.create(issuer + "/oauth2/token"),
                    new ClientID(clientId), new AuthorizationCodeGrant(code, callback(clientId), pending.verifier()))
                    .toHTTPRequest().send());
            if (!tokens.indicatesSuccess()) {
                model.addAttribute("error", tokens.toErrorResponse().getErrorObject().getCode());
                return "demo/portal";
            }
            OIDCTokenResponse oidc = (OIDCTokenResponse) tokens.toSuccessResponse();
            IDTokenValidator validator = new IDTokenValidator(new Issuer(issuer), new ClientID(clientId),
                    JWSAlgorithm.RS256, URI.create(issuer + "/oauth2/jwks").toURL());
            IDTokenClaimsSet claims = validator.validate(oidc.getOIDCTokens().getIDToken(), pending.nonce());
            model.addAttribute("claims", new TreeMap<>(claims.toJSONObject()));
            model.addAttribute("logouts", java.util.List.copyOf(logoutsReceived));
            // RP-initiated logout, as a portal offers it: the gateway ends the session and tells the
            // session's other portals (back-channel logout), then comes back here.
            model.addAttribute("logoutUrl", new LogoutRequest(URI.create(issuer + "/connect/logout"),
                    oidc.getOIDCTokens().getIDToken(), URI.create(issuer + PATH), new State()).toURI());
            return "demo/portal";
        } catch (Exception e) {
            model.addAttribute("error", e.getMessage());
            return "demo/portal";
        }
    }

    private URI callback(String clientId) {
        return URI.create(issuer + PATH + (FEDERAL_CLIENT_ID.equals(clientId) ? FEDERAL : "") + "/callback");
    }

    private static Map<String, java.util.List<String>> toMulti(Map<String, String> query) {
        Map<String, java.util.List<String>> multi = new java.util.LinkedHashMap<>();
        query.forEach((k, v) -> multi.put(k, java.util.List.of(v)));
        return multi;
    }
}

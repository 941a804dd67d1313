package io.passerelle.web;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.passerelle.authorize.Interactions;
import io.passerelle.broker.BrowserCookie;
import io.passerelle.broker.LoginTransaction;
import io.passerelle.broker.LoginTransactionStore;
import io.passerelle.config.IssuerProperties;
import io.passerelle.connector.Loa;
import io.passerelle.consent.ClaimRelease;
import io.passerelle.consent.ConsentDecisions;
import io.passerelle.consent.ConsentProperties;
import io.passerelle.consent.ConsentRequest;
import io.passerelle.identity.CitizenAuthentication;
import io.passerelle.portal.PortalConfig;
import io.passerelle.portal.PortalRegistry;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.support.RequestContextUtils;

/**
 * The consent page: which portal, for what purpose (and on which legal basis), and each piece of
 * data with its actual value; the citizen shares all, some, or nothing. The question lives in the
 * login's record ({@code /consent?login=<id>}, bound to this browser) and is answered once; the form
 * is CSRF-protected. A question that can no longer be answered (answered already, expired, put to
 * another sign-in) gets a page with the way back to the portal ({@code /consent/back?login=<id>}),
 * worked out from the same record for as long as it lives.
 */
@Controller
public class ConsentController {

    private final ConsentDecisions decisions;
    private final PortalRegistry portals;
    private final ConsentProperties properties;
    private final String issuer;
    private final Clock clock;
    private final ClaimValues values;
    private final LoginTransactionStore logins;
    private final ErrorPages errorPages;
    private final CitizenTimes times;

    public ConsentController(ConsentDecisions decisions, PortalRegistry portals, ConsentProperties properties,
                             IssuerProperties issuer, Clock clock, MessageSource messages, LoginTransactionStore logins,
                             ErrorPages errorPages, CitizenTimes times) {
        this.values = new ClaimValues(messages);
        this.decisions = decisions;
        this.portals = portals;
        this.properties = properties;
        this.issuer = issuer.issuerId();
        this.clock = clock;
        this.logins = logins;
        this.errorPages = errorPages;
        this.times = times;
    }

    @GetMapping(Interactions.CONSENT_PAGE)
    public String show(HttpServletRequest http, Model model, HttpServletResponse response) {
        LoginTransaction login = logins.ofPage(http).orElse(null);
        ConsentRequest request = question(login);
        CitizenAuthentication citizen = citizen();
        String problem = problem(login, request, citizen);
        if (problem != null) {
            return error(problem, login, model, response);
        }
        Locale locale = RequestContextUtils.getLocale(http);
        PortalConfig portal = portals.portal(request.clientId()).orElseThrow();
        Map<String, Object> verified = decisions.verified(citizen);
        List<Item> items = new ArrayList<>();
        for (String claim : request.claims()) {
            if (ClaimRelease.decidedWith(claim).equals(claim)) {
                items.add(new Item(claim, values.display(claim, verified.get(claim), locale)));
            }
        }
        model.addAttribute("requestId", request.id());
        model.addAttribute("portalName", Texts.inLanguage(portal.clientName(), locale));
        model.addAttribute("purpose", Texts.inLanguage(portal.purpose(), locale));
        model.addAttribute("legalBasis", request.claims().contains("national_number") ? portal.legalBasis() : null);
        model.addAttribute("items", items);
        model.addAttribute("level", Loa.fromUri(citizen.acr()).configName());
        model.addAttribute("authTime", times.format(citizen.authTime(), locale));
        model.addAttribute("days", properties.lifetime().toDays());
        return "consent";
    }

    @PostMapping(Interactions.CONSENT_PAGE)
    public String answer(@RequestParam("request") String requestId, @RequestParam("decision") String decision,
                         @RequestParam(name = "claim", required = false) List<String> claims, HttpServletRequest http,
                         Model model, HttpServletResponse response) {
        LoginTransaction login = logins.find(requestId, BrowserCookie.hashOf(http)).orElse(null);
        if (login != null) {
            http.setAttribute(LoginTransactionStore.ATTRIBUTE, login);
        }
        ConsentRequest request = question(login);
        String problem = problem(login, request, citizen());
        if (problem != null) {
            return error(problem, login, model, response);
        }
        boolean shared = "allow".equals(decision);
        if (!logins.answerConsent(login, shared)) {
            // A replayed or raced POST: the first answer stands, and the page says what it did.
            return error(problem(logins.find(login.id(), login.browserHash()).orElse(login), request, citizen()),
                    login, model, response);
        }
        if (!shared) {
            decisions.refuse(request);
            return AccessDenied.redirect(request.redirectUri(), request.state(), issuer,
                    "the citizen refused to share the requested data");
        }
        decisions.grant(request, claims == null ? List.of() : claims);
        return "redirect:" + request.resumeUrl();
    }

    /**
     * "Back to the website" from a question that cannot be answered: the portal's request again when the
     * citizen shared (the portal gets its code), else {@code access_denied} with its state (RFC 6749
     * 4.1.2.1). Nothing left to go back to (the login ended or expired): the account page.
     */
    @GetMapping(Interactions.CONSENT_PAGE + "/back")
    public String back(HttpServletRequest http) {
        LoginTransaction login = logins.ofPage(http).orElse(null);
        if (login == null || login.consent() == null || login.demand().redirectUri() == null) {
            return "redirect:" + AccountController.ACCOUNT_PAGE;
        }
        LoginTransaction.ConsentQuestion question = login.consent();
        if (Boolean.TRUE.equals(question.shared())) {
            return "redirect:" + login.resumeUrl();
        }
        String why = question.answeredAt() != null ? "the citizen refused to share the requested data"
                : !clock.instant().isBefore(question.expiresAt()) ? "the consent question expired unanswered"
                : "the consent question was for another sign-in";
        return AccessDenied.redirect(login.demand().redirectUri(), login.demand().state(), issuer, why);
    }

    /** The question waiting in this login, as the consent ledger takes it, or null. */
    private static ConsentRequest question(LoginTransaction login) {
        if (login == null || login.consent() == null) {
            return null;
        }
        LoginTransaction.ConsentQuestion q = login.consent();
        return new ConsentRequest(login.id(), q.citizenId(), login.clientId(), q.claims(), login.resumeUrl(),
                login.demand().redirectUri(), login.demand().state(), q.expiresAt());
    }

    /**
     * Why this question cannot be shown or answered, or null: none (no question here), answered-shared or
     * answered-refused (what the first answer did), other-citizen, expired.
     */
    private String problem(LoginTransaction login, ConsentRequest request, CitizenAuthentication citizen) {
        if (request == null || portals.portal(request.clientId()).isEmpty()) {
            return "none";
        }
        if (login.consent().answeredAt() != null) {
            return Boolean.TRUE.equals(login.consent().shared()) ? "answered-shared" : "answered-refused";
        }
        return request.refusalFor(citizen == null ? null : citizen.citizenId(), clock.instant());
    }

    /** The page for a question that cannot be answered, with the way back when there is a portal to go back to. */
    private String error(String reason, LoginTransaction login, Model model, HttpServletResponse response) {
        int status = switch (reason) {
            case "answered-shared", "answered-refused" -> HttpStatus.CONFLICT.value();
            case "other-citizen" -> HttpStatus.FORBIDDEN.value();
            default -> HttpStatus.BAD_REQUEST.value();
        };
        boolean wayBack = login != null && login.consent() != null && login.demand().redirectUri() != null;
        model.addAttribute("login", wayBack ? login.id() : null);
        return errorPages.show(ErrorPages.Kind.CONSENT, reason, status, login == null ? null : login.clientId(), null,
                false, response, model);
    }

    static CitizenAuthentication citizen() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication instanceof CitizenAuthentication citizen ? citizen : null;
    }

    /** One line of the consent page: a claim the citizen may untick, with its value. */
    public record Item(String claim, String value) {
    }
}

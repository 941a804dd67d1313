package io.passerelle.web;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import io.passerelle.broker.CitizenAuthentication;
import io.passerelle.connector.Loa;
import io.passerelle.consent.ClaimRelease;
import io.passerelle.consent.ConsentDecisions;
import io.passerelle.consent.ConsentPolicy;
import io.passerelle.consent.ConsentProperties;
import io.passerelle.consent.ConsentRequest;
import io.passerelle.issuer.IssuerProperties;
import io.passerelle.issuer.PortalRegistry;
import io.passerelle.issuer.portal.PortalConfig;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The consent page: which portal, for what purpose (and on which legal basis), and each piece of
 * data with its actual value; the citizen shares all, some, or nothing. The question lives in the
 * session ({@link ConsentRequest}) and is answered once; the form is CSRF-protected.
 */
@Controller
public class ConsentController {

    private final ConsentDecisions decisions;
    private final PortalRegistry portals;
    private final ConsentProperties properties;
    private final String issuer;
    private final Clock clock;
    private final ClaimValues values;

    private final ErrorPages errorPages;
    private final CitizenTimes times;

    public ConsentController(ConsentDecisions decisions, PortalRegistry portals, ConsentProperties properties,
                             IssuerProperties issuer, Clock clock, MessageSource messages, ErrorPages errorPages,
                             CitizenTimes times) {
        this.errorPages = errorPages;
        this.times = times;
        this.values = new ClaimValues(messages);
        this.decisions = decisions;
        this.portals = portals;
        this.properties = properties;
        this.issuer = issuer.issuerId();
        this.clock = clock;
    }

    @GetMapping(ConsentPolicy.CONSENT_PAGE)
    public String show(HttpSession session, Locale locale, Model model, HttpServletResponse response) {
        ConsentRequest request = (ConsentRequest) session.getAttribute(ConsentRequest.SESSION_ATTRIBUTE);
        CitizenAuthentication citizen = citizen();
        PortalConfig portal = request == null ? null : portals.portal(request.clientId()).orElse(null);
        String problem = problem(request, citizen, portal);
        if (problem != null) {
            return error(problem, request, session, model, response);
        }
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

    @PostMapping(ConsentPolicy.CONSENT_PAGE)
    public String answer(@RequestParam("request") String requestId, @RequestParam("decision") String decision,
                         @RequestParam(name = "claim", required = false) List<String> claims, HttpSession session,
                         Model model, HttpServletResponse response) {
        ConsentRequest request = (ConsentRequest) session.getAttribute(ConsentRequest.SESSION_ATTRIBUTE);
        if (request == null || !request.id().equals(requestId)) {
            // Answered already (a replayed POST) or superseded by a newer question: nothing changes.
            return error("answered", null, session, model, response);
        }
        session.removeAttribute(ConsentRequest.SESSION_ATTRIBUTE);
        CitizenAuthentication citizen = citizen();
        String problem = problem(request, citizen, portals.portal(request.clientId()).orElse(null));
        if (problem != null) {
            return error(problem, request, session, model, response);
        }
        if (!"allow".equals(decision)) {
            decisions.refuse(request);
            session.setAttribute(ConsentWayBack.SESSION_ATTRIBUTE, new ConsentWayBack(request.clientId(), null,
                    request.redirectUri(), request.state(), false, null, "the citizen refused to share the requested data",
                    wayBackUntil()));
            return AccessDenied.redirect(request.redirectUri(), request.state(), issuer,
                    "the citizen refused to share the requested data");
        }
        decisions.grant(request, claims == null ? List.of() : claims);
        session.setAttribute(ConsentRequest.ANSWERED_FOR, request.clientId());
        session.setAttribute(ConsentWayBack.SESSION_ATTRIBUTE, new ConsentWayBack(request.clientId(), request.resumeUrl(),
                request.redirectUri(), request.state(), true, null, null, wayBackUntil()));
        return "redirect:" + request.resumeUrl();
    }

    /**
     * "Back to the website" from a question that cannot be answered: the portal's request again when the
     * citizen shared (the portal gets its code), else {@code access_denied} with its state (RFC 6749
     * 4.1.2.1). Nothing left to go back to: the account page.
     */
    @GetMapping(ConsentPolicy.CONSENT_PAGE + "/back")
    public String back(HttpSession session) {
        ConsentWayBack way = wayBack(session);
        session.removeAttribute(ConsentWayBack.SESSION_ATTRIBUTE);
        if (way == null) {
            return "redirect:" + AccountController.ACCOUNT_PAGE;
        }
        if (Boolean.TRUE.equals(way.shared()) && way.resumeUrl() != null) {
            return "redirect:" + way.resumeUrl();
        }
        return AccessDenied.redirect(way.redirectUri(), way.state(), issuer,
                way.description() == null ? "the citizen did not answer the consent question" : way.description());
    }

    private Instant wayBackUntil() {
        return clock.instant().plus(properties.questionTimeout());
    }

    /** The way back of the last question in this browser, while it is recent enough to lead anywhere. */
    private ConsentWayBack wayBack(HttpSession session) {
        ConsentWayBack way = (ConsentWayBack) session.getAttribute(ConsentWayBack.SESSION_ATTRIBUTE);
        return way != null && clock.instant().isBefore(way.until()) ? way : null;
    }

    /** Why this question cannot be shown or answered, or null. */
    private String problem(ConsentRequest request, CitizenAuthentication citizen, PortalConfig portal) {
        if (request == null || portal == null || request.resumeUrl() == null) {
            return "none";
        }
        return request.refusalFor(citizen == null ? null : citizen.citizenId(), clock.instant());
    }

    /**
     * The page for a question that cannot be answered. A question that ended unanswered (expired, or for
     * another sign-in) leaves a way back that sends the portal {@code access_denied}; one answered already
     * says what the first answer did, and leads back accordingly.
     */
    private String error(String reason, ConsentRequest request, HttpSession session, Model model,
                         HttpServletResponse response) {
        ConsentWayBack way = wayBack(session);
        if (request != null && request.redirectUri() != null) {
            session.removeAttribute(ConsentRequest.SESSION_ATTRIBUTE);
            way = new ConsentWayBack(request.clientId(), null, request.redirectUri(), request.state(), null, reason,
                    "expired".equals(reason) ? "the consent question expired unanswered"
                            : "the consent question was for another sign-in", wayBackUntil());
            session.setAttribute(ConsentWayBack.SESSION_ATTRIBUTE, way);
        } else if (way != null && ("answered".equals(reason) || "none".equals(reason))) {
            reason = way.laterReason();
        }
        int status = switch (reason) {
            case "answered", "answered-shared", "answered-refused" -> HttpStatus.CONFLICT.value();
            case "other-citizen" -> HttpStatus.FORBIDDEN.value();
            default -> HttpStatus.BAD_REQUEST.value();
        };
        return errorPages.show(ErrorPages.Kind.CONSENT, reason, status, way == null ? null : way.clientId(), null,
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

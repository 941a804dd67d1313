package io.passerelle.web;

import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import io.passerelle.identity.CitizenAuthentication;
import io.passerelle.connector.Loa;
import io.passerelle.consent.ClaimRelease;
import io.passerelle.consent.ConsentDecisions;
import io.passerelle.consent.ConsentPolicy;
import io.passerelle.consent.ConsentProperties;
import io.passerelle.consent.ConsentRequest;
import io.passerelle.config.IssuerProperties;
import io.passerelle.portal.PortalRegistry;
import io.passerelle.portal.PortalConfig;

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

    public ConsentController(ConsentDecisions decisions, PortalRegistry portals, ConsentProperties properties,
                             IssuerProperties issuer, Clock clock, MessageSource messages) {
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
            return error(problem, model, response);
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
        model.addAttribute("authTime", DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(locale)
                .withZone(clock.getZone()).format(citizen.authTime()));
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
            return error("answered", model, response);
        }
        session.removeAttribute(ConsentRequest.SESSION_ATTRIBUTE);
        CitizenAuthentication citizen = citizen();
        String problem = problem(request, citizen, portals.portal(request.clientId()).orElse(null));
        if (problem != null) {
            return error(problem, model, response);
        }
        if (!"allow".equals(decision)) {
            decisions.refuse(request);
            return AccessDenied.redirect(request.redirectUri(), request.state(), issuer,
                    "the citizen refused to share the requested data");
        }
        decisions.grant(request, claims == null ? List.of() : claims);
        session.setAttribute(ConsentRequest.ANSWERED_FOR, request.clientId());
        return "redirect:" + request.resumeUrl();
    }

    /** Why this question cannot be shown or answered, or null. */
    private String problem(ConsentRequest request, CitizenAuthentication citizen, PortalConfig portal) {
        if (request == null || portal == null || request.resumeUrl() == null) {
            return "none";
        }
        return request.refusalFor(citizen == null ? null : citizen.citizenId(), clock.instant());
    }

    private static String error(String reason, Model model, HttpServletResponse response) {
        response.setStatus(HttpStatus.BAD_REQUEST.value());
        model.addAttribute("reason", reason);
        return "consent-error";
    }

    static CitizenAuthentication citizen() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication instanceof CitizenAuthentication citizen ? citizen : null;
    }

    /** One line of the consent page: a claim the citizen may untick, with its value. */
    public record Item(String claim, String value) {
    }
}

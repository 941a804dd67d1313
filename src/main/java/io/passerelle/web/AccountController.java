package io.passerelle.web;

import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import io.passerelle.identity.CitizenAuthentication;
import io.passerelle.broker.LoginDemand;
import io.passerelle.broker.SignInRedirect;
import io.passerelle.connector.Loa;
import io.passerelle.consent.Consent;
import io.passerelle.consent.ConsentDecisions;
import io.passerelle.consent.DataRelease;
import io.passerelle.issuer.SignOut;
import io.passerelle.portal.PortalRegistry;
import io.passerelle.portal.PortalConfig;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The citizen's account page: every portal that received data (what, when, at which level), the
 * consent decisions with a way to withdraw each (the portal's tokens end at once), and the portals
 * that are consent-exempt by law. Needs a sign-in of at least substantial level: it tells which
 * services a person uses.
 */
@Controller
public class AccountController {


    static final String ACCOUNT_PAGE = "/account";
    private static final Loa REQUIRED = Loa.SUBSTANTIAL;
    private static final int RECEIPTS_SHOWN = 50;

    private final ConsentDecisions decisions;
    private final PortalRegistry portals;
    private final Clock clock;
    private final SignOut signOut;

    public AccountController(ConsentDecisions decisions, PortalRegistry portals, Clock clock,
                             SignOut signOut) {
        this.decisions = decisions;
        this.portals = portals;
        this.clock = clock;
        this.signOut = signOut;
    }

    @GetMapping(ACCOUNT_PAGE)
    public String show(@RequestParam(name = "signin", required = false) String signin,
                       @RequestParam(name = "withdrawn", required = false) String withdrawn,
                       HttpServletRequest request, HttpServletResponse response, HttpSession session, Locale locale,
                       Model model) throws ServletException, java.io.IOException {
        CitizenAuthentication citizen = signedIn();
        if (citizen == null) {
            if (signin == null) {
                return "account-signin";
            }
            // The broker signs the citizen in as for a portal, then resumes this very request.
            session.setAttribute(LoginDemand.SESSION_ATTRIBUTE, new LoginDemand(null, null, null, REQUIRED, null, null,
                    Set.of(), null, null, clock.instant(), LoginDemand.resumeUrlOf(request)));
            return "redirect:" + SignInRedirect.SIGN_IN_PAGE;
        }
        DateTimeFormatter dates = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(locale)
                .withZone(clock.getZone());
        List<ConsentLine> consents = new ArrayList<>();
        for (Consent consent : decisions.decisions(citizen.citizenId())) {
            consents.add(new ConsentLine(consent.clientId(), name(consent.clientId(), locale),
                    List.copyOf(consent.granted()), List.copyOf(consent.refused()), dates.format(consent.grantedAt()),
                    dates.format(consent.expiresAt()), !consent.expiresAt().isAfter(clock.instant())));
        }
        List<ReceiptLine> receipts = new ArrayList<>();
        Map<String, String> exempt = new LinkedHashMap<>();
        for (DataRelease release : decisions.releases(citizen.citizenId(), RECEIPTS_SHOWN)) {
            receipts.add(new ReceiptLine(name(release.clientId(), locale), release.claims(), dates.format(release.releasedAt()),
                    release.loa()));
            portals.portal(release.clientId()).filter(PortalConfig::consentExempt)
                    .ifPresent(portal -> exempt.put(portal.clientId(), name(portal.clientId(), locale)));
        }
        model.addAttribute("consents", consents);
        model.addAttribute("receipts", receipts);
        model.addAttribute("exempt", exempt.values());
        model.addAttribute("withdrawn", withdrawn == null ? null : name(withdrawn, locale));
        return "account";
    }

    @PostMapping(ACCOUNT_PAGE + "/withdraw")
    public String withdraw(@RequestParam("client") String clientId) {
        CitizenAuthentication citizen = signedIn();
        if (citizen == null) {
            return "redirect:" + ACCOUNT_PAGE;
        }
        decisions.withdraw(citizen.citizenId(), clientId);
        return "redirect:" + ACCOUNT_PAGE + "?withdrawn=" + org.springframework.web.util.UriUtils.encodeQueryParam(
                clientId, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * "Sign out everywhere": the gateway's session ends, and every portal the citizen is signed in to
     * hears of it by back-channel logout, whatever browser or sign-in it came from; grants without
     * {@code offline_access} end with it. Open at any level of assurance: signing out needs no proof
     * beyond the session itself (and the CSRF token of the form).
     */
    @PostMapping(ACCOUNT_PAGE + "/signout")
    public String signOut(HttpServletRequest request) {
        signOut.everywhere(request, ConsentController.citizen());
        return "signed-out";
    }

    /** The signed-in citizen, when the sign-in is strong enough for this page. */
    private static CitizenAuthentication signedIn() {
        CitizenAuthentication citizen = ConsentController.citizen();
        return citizen != null && Loa.fromUri(citizen.acr()).satisfies(REQUIRED) ? citizen : null;
    }

    private String name(String clientId, Locale locale) {
        return portals.portal(clientId).map(portal -> Texts.inLanguage(portal.clientName(), locale)).orElse(clientId);
    }

    /** A consent decision as the account page shows it. */
    public record ConsentLine(String clientId, String portal, List<String> granted, List<String> refused, String since,
                              String until, boolean expired) {
    }

    /** A receipt as the account page shows it. */
    public record ReceiptLine(String portal, List<String> claims, String when, String level) {
    }
}

package io.passerelle.web;

import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import io.passerelle.identity.CitizenAuthentication;
import io.passerelle.issuer.LogoutResponder;
import io.passerelle.issuer.PendingLogout;
import io.passerelle.portal.PortalRegistry;
import io.passerelle.issuer.SignOut;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The citizen's side of RP-initiated logout (OIDC RP-Initiated Logout 1.0, 3): the question asked when a
 * logout request cannot show that it comes from this browser's own session (no {@code id_token_hint}, or
 * one of another session), and the "You are signed out" page. The answer is a CSRF-protected form, so
 * another website cannot sign the citizen out behind their back.
 */
@Controller
public class SignOutController {

    private final SignOut signOut;
    private final PortalRegistry portals;

    public SignOutController(SignOut signOut, PortalRegistry portals) {
        this.signOut = signOut;
        this.portals = portals;
    }

    @GetMapping(PendingLogout.CONFIRM_PAGE)
    public ModelAndView question(HttpServletRequest request, Locale locale, Model model) {
        if (ConsentController.citizen() == null) {
            return redirect(LogoutResponder.page(request, PendingLogout.DONE_PAGE, locale.getLanguage()));
        }
        PendingLogout pending = pending(request);
        if (pending != null && pending.clientId() != null) {
            portals.portal(pending.clientId()).ifPresent(portal ->
                    model.addAttribute("portalName", Texts.inLanguage(portal.clientName(), locale)));
        }
        return new ModelAndView("signout-confirm");
    }

    @PostMapping(PendingLogout.CONFIRM_PAGE)
    public ModelAndView answer(@RequestParam(defaultValue = "no") String decision,
                               @RequestParam(name = "ui_locales", required = false) String uiLocales,
                               HttpServletRequest request) {
        PendingLogout pending = pending(request);
        CitizenAuthentication citizen = ConsentController.citizen();
        if (!"yes".equals(decision)) {
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.removeAttribute(PendingLogout.SESSION_ATTRIBUTE);
            }
            return redirect(request.getContextPath() + AccountController.ACCOUNT_PAGE);
        }
        if (citizen != null) {
            signOut.thisSession(request, citizen);
        }
        return redirect(pending != null && pending.redirect() != null ? pending.redirect()
                : LogoutResponder.page(request, PendingLogout.DONE_PAGE, uiLocales));
    }

    @GetMapping(PendingLogout.DONE_PAGE)
    public String done() {
        return "signed-out";
    }

    private static PendingLogout pending(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session == null ? null : (PendingLogout) session.getAttribute(PendingLogout.SESSION_ATTRIBUTE);
    }

    /** The address is ours or a registered one with its state already encoded: nothing in it is a template. */
    private static ModelAndView redirect(String url) {
        RedirectView view = new RedirectView(url);
        view.setExpandUriTemplateVariables(false);
        view.setExposeModelAttributes(false);
        return new ModelAndView(view);
    }
}

package io.passerelle.web;

import io.passerelle.broker.LoginFailure;

import org.springframework.ui.Model;

/**
 * The page a citizen sees when a login fails: what happened, what to do, and a reference code; when
 * the login is known, another key to choose and the way back to the portal.
 */
final class LoginErrorPage {

    private LoginErrorPage() {
    }

    static String render(LoginFailure failure, Model model) {
        return render(failure.reason(), failure.reference(), failure.loginId(), model);
    }

    static String render(String reason, String reference, String loginId, Model model) {
        model.addAttribute("reason", reason);
        model.addAttribute("reference", reference);
        model.addAttribute("login", loginId);
        return "login-error";
    }
}

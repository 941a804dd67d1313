package io.passerelle.web;

import io.passerelle.broker.LoginFailure;

import org.springframework.ui.Model;

/** The page a citizen sees when a login fails: what happened, what to do, and a reference code. */
final class LoginErrorPage {

    private LoginErrorPage() {
    }

    static String render(LoginFailure failure, Model model) {
        model.addAttribute("reason", failure.reason());
        model.addAttribute("reference", failure.reference());
        return "login-error";
    }
}

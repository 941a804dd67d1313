package io.passerelle.web;

import io.passerelle.issuer.IssuerSecurityConfiguration;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Where a citizen without a session lands when a portal sends them to {@code /oauth2/authorize}. The
 * key chooser of the broker (config/connectors/*.yml) is shown here; while no connector is configured
 * the page says that no digital key is available, in the citizen's language.
 */
@Controller
public class SignInController {

    @GetMapping(IssuerSecurityConfiguration.SIGN_IN_PAGE)
    public String signIn() {
        return "signin";
    }
}

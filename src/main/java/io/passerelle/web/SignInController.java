package io.passerelle.web;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.passerelle.broker.Broker;
import io.passerelle.broker.KeyChoice;
import io.passerelle.broker.LoginFailure;
import io.passerelle.broker.LoginTransaction;
import io.passerelle.broker.LoginTransactionStore;
import io.passerelle.broker.SignInRedirect;
import io.passerelle.connector.Connector;
import io.passerelle.connector.ConnectorRegistry;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.support.RequestContextUtils;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The key chooser of one login ({@code /signin?login=<id>}, the login's record bound to this browser).
 * It shows the connectors that reach the level the portal demands; choosing one starts the broker's
 * login. A login whose automatic start failed comes back here with the reason and reference to show.
 */
@Controller
public class SignInController {

    /** What an automatic start may come back with (anything else in the address is ignored). */
    private static final Set<String> START_FAILURES = Set.of("cancelled", "unavailable", "upstream-error",
            "invalid-response", "loa-not-met", "misconfigured", "expired");

    private final ConnectorRegistry connectors;
    private final Broker broker;
    private final LoginTransactionStore logins;

    public SignInController(ConnectorRegistry connectors, Broker broker, LoginTransactionStore logins) {
        this.connectors = connectors;
        this.broker = broker;
        this.logins = logins;
    }

    @GetMapping(SignInRedirect.SIGN_IN_PAGE)
    public ModelAndView choose(@RequestParam(name = "failed", required = false) String failed,
                               @RequestParam(name = "reference", required = false) String reference,
                               HttpServletRequest request, HttpServletResponse response, Model model) {
        Optional<LoginTransaction> login = logins.ofPage(request);
        if (login.isEmpty()) {
            return new ModelAndView("signin-no-request");
        }
        if (failed != null && START_FAILURES.contains(failed) && reference != null && reference.length() <= 40) {
            return new ModelAndView(LoginErrorPage.render(failed, reference, login.get().id(), model));
        }
        List<Connector> candidates = KeyChoice.candidates(connectors, login.get().demand());
        model.addAttribute("login", login.get().id());
        Locale locale = RequestContextUtils.getLocale(request);
        model.addAttribute("connectors", candidates.stream().map(c -> new KeyButton(c.id(),
                c.displayName().getOrDefault(locale.getLanguage(), c.displayName().get("en")), c.logo())).toList());
        model.addAttribute("hintRefused", KeyChoice.hintRefused(connectors, login.get().demand()));
        model.addAttribute("level", login.get().demand().requiredLoa().configName());
        return new ModelAndView("signin");
    }

    @PostMapping(SignInRedirect.SIGN_IN_PAGE + "/{connectorId}")
    public ModelAndView chosen(@PathVariable String connectorId, HttpServletRequest request,
                               HttpServletResponse response, Model model) {
        Optional<LoginTransaction> login = logins.ofPage(request);
        if (login.isEmpty()) {
            return new ModelAndView("signin-no-request");
        }
        Optional<Connector> connector = connectors.find(connectorId);
        if (connector.isEmpty() || !KeyChoice.candidates(connectors, login.get().demand()).contains(connector.get())) {
            return new ModelAndView(ready(SignInRedirect.pageOf(request, login.get().id())));
        }
        try {
            URI upstream = broker.start(connector.get(), login.get(), RequestContextUtils.getLocale(request));
            return new ModelAndView(ready(upstream.toString()));
        } catch (LoginFailure failure) {
            return new ModelAndView(LoginErrorPage.render(failure, model));
        }
    }

    /**
     * A redirect as a ready view: a {@code "redirect:"} view name would make the view resolver build and
     * initialise a new view bean for every login (each URL is different, so none is cached). The URL is
     * already encoded: nothing in it is a template, and no model attribute may leak into it.
     */
    static RedirectView ready(String url) {
        RedirectView view = new RedirectView(url);
        view.setExpandUriTemplateVariables(false);
        view.setExposeModelAttributes(false);
        return view;
    }

    /** One button of the chooser. */
    public record KeyButton(String id, String name, String logo) {
    }
}

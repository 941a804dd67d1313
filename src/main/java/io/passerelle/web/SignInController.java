package io.passerelle.web;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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
import io.passerelle.portal.PortalRegistry;

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
 * It shows the connectors that reach the level the portal demands (a provider that has not answered yet
 * is shown, but cannot be chosen); choosing one starts the broker's login. A login whose automatic start
 * failed comes back here with the reference of its failure, and the page shows it again from the audit
 * trail ({@link ErrorPages#recorded}), with another key to choose and the way back to the portal.
 */
@Controller
public class SignInController {

    private final ConnectorRegistry connectors;
    private final Broker broker;
    private final LoginTransactionStore logins;
    private final ErrorPages errorPages;
    private final PortalRegistry portals;

    public SignInController(ConnectorRegistry connectors, Broker broker, LoginTransactionStore logins,
                            ErrorPages errorPages, PortalRegistry portals) {
        this.connectors = connectors;
        this.broker = broker;
        this.logins = logins;
        this.errorPages = errorPages;
        this.portals = portals;
    }

    @GetMapping(SignInRedirect.SIGN_IN_PAGE)
    public ModelAndView choose(@RequestParam(name = "reference", required = false) String reference,
                               HttpServletRequest request, HttpServletResponse response, Model model) {
        Optional<LoginTransaction> login = logins.ofPage(request);
        if (login.isEmpty()) {
            return new ModelAndView("signin-no-request");
        }
        model.addAttribute("login", login.get().id());
        Optional<ErrorPages.Shown> failed = reference == null ? Optional.empty() : errorPages.recorded(reference)
                .filter(shown -> shown.kind() == ErrorPages.Kind.LOGIN);
        if (failed.isPresent()) {
            return new ModelAndView(errorPages.show(ErrorPages.Kind.LOGIN, failed.get().reason(), failed.get().status(),
                    null, reference, true, response, model));
        }
        List<Connector> candidates = KeyChoice.candidates(connectors, portals, login.get().demand());
        Locale locale = RequestContextUtils.getLocale(request);
        model.addAttribute("connectors", candidates.stream().map(c -> new KeyButton(c.id(),
                c.displayName().getOrDefault(locale.getLanguage(), c.displayName().get("en")), c.logo(), c.available()))
                .toList());
        model.addAttribute("hintRefused", KeyChoice.hintRefused(connectors, portals, login.get().demand()));
        model.addAttribute("level", login.get().demand().requiredLoa().configName());
        return new ModelAndView("signin");
    }

    @PostMapping(SignInRedirect.SIGN_IN_PAGE + "/{connectorId}")
    public ModelAndView chosen(@PathVariable String connectorId, HttpServletRequest request,
                               HttpServletResponse response, Model model) {
        Optional<LoginTransaction> login = logins.ofPage(request);
        if (login.isEmpty()) {
            // The page that says so lives at GET /signin, where its language links work too.
            return new ModelAndView(ready(request.getContextPath() + SignInRedirect.SIGN_IN_PAGE));
        }
        Optional<Connector> connector = connectors.find(connectorId);
        if (connector.isEmpty() || !KeyChoice.candidates(connectors, portals, login.get().demand()).contains(connector.get())) {
            return new ModelAndView(ready(SignInRedirect.pageOf(request, login.get().id())));
        }
        try {
            URI upstream = broker.start(connector.get(), login.get(), RequestContextUtils.getLocale(request));
            return new ModelAndView(ready(upstream.toString()));
        } catch (LoginFailure failure) {
            return new ModelAndView(errorPages.loginFailure(failure, response, model));
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

    /** One button of the chooser; a key whose provider has not answered yet is shown, but cannot be chosen. */
    public record KeyButton(String id, String name, String logo, boolean available) {
    }
}

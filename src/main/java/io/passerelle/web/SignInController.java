package io.passerelle.web;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import io.passerelle.broker.Broker;
import io.passerelle.broker.KeyChoice;
import io.passerelle.broker.LoginDemand;
import io.passerelle.broker.LoginFailure;
import io.passerelle.broker.SignInRedirect;
import io.passerelle.connector.Connector;
import io.passerelle.connector.ConnectorRegistry;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The key chooser. It shows the connectors that reach the level the portal demands; a portal's
 * {@code idp_hint}, or a single candidate, skips it. Choosing a key starts the broker's login.
 */
@Controller
public class SignInController {

    private final ConnectorRegistry connectors;
    private final Broker broker;
    private final io.passerelle.portal.PortalRegistry portals;

    public SignInController(ConnectorRegistry connectors, Broker broker, io.passerelle.portal.PortalRegistry portals) {
        this.connectors = connectors;
        this.broker = broker;
        this.portals = portals;
    }

    @GetMapping(SignInRedirect.SIGN_IN_PAGE)
    public ModelAndView choose(HttpServletRequest request, HttpServletResponse response, HttpSession session, Locale locale,
                         Model model) {
        LoginDemand demand = (LoginDemand) session.getAttribute(LoginDemand.SESSION_ATTRIBUTE);
        if (demand == null || demand.resumeUrl() == null) {
            return new ModelAndView("signin-no-request");
        }
        Optional<Connector> automatic = KeyChoice.automatic(connectors, portals, demand);
        if (automatic.isPresent()) {
            return start(automatic.get(), demand, locale, session, model);
        }
        List<Connector> candidates = KeyChoice.candidates(connectors, portals, demand);
        boolean hintRefused = KeyChoice.hintRefused(connectors, portals, demand);
        model.addAttribute("connectors", candidates.stream().map(c -> new KeyButton(c.id(),
                c.displayName().getOrDefault(locale.getLanguage(), c.displayName().get("en")), c.logo())).toList());
        model.addAttribute("hintRefused", hintRefused);
        model.addAttribute("level", demand.requiredLoa().configName());
        return new ModelAndView("signin");
    }

    @PostMapping(SignInRedirect.SIGN_IN_PAGE + "/{connectorId}")
    public ModelAndView chosen(@PathVariable String connectorId, HttpServletRequest request, HttpServletResponse response,
                         HttpSession session, Locale locale, Model model) {
        LoginDemand demand = (LoginDemand) session.getAttribute(LoginDemand.SESSION_ATTRIBUTE);
        Optional<Connector> connector = connectors.find(connectorId);
        if (demand == null || demand.resumeUrl() == null) {
            return new ModelAndView("signin-no-request");
        }
        if (connector.isEmpty() || !KeyChoice.candidates(connectors, portals, demand).contains(connector.get())) {
            return new ModelAndView("redirect:" + SignInRedirect.SIGN_IN_PAGE);
        }
        return start(connector.get(), demand, locale, session, model);
    }

    private ModelAndView start(Connector connector, LoginDemand demand, Locale locale,
                         HttpSession session, Model model) {
        try {
            URI upstream = broker.start(connector, demand, demand.resumeUrl(), locale, session);
            return new ModelAndView(upstreamRedirect(upstream));
        } catch (LoginFailure failure) {
            return new ModelAndView(LoginErrorPage.render(failure, model));
        }
    }

    /**
     * The redirect upstream as a ready view: a {@code "redirect:"} view name would make the view resolver
     * build and initialise a new view bean for every login (each URL is different, so none is cached).
     * The URL is the connector's, already encoded: nothing in it is a template, and no model attribute
     * may leak into it.
     */
    private static RedirectView upstreamRedirect(URI upstream) {
        RedirectView view = new RedirectView(upstream.toString());
        view.setExpandUriTemplateVariables(false);
        view.setExposeModelAttributes(false);
        return view;
    }

    /** One button of the chooser. */
    public record KeyButton(String id, String name, String logo) {
    }
}

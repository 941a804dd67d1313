package io.passerelle.web;

import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.passerelle.audit.ReferenceCode;
import io.passerelle.availability.DatabaseOutage;
import io.passerelle.issuer.AuthorizationResponseHandler;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * Every error a person can see: a page in their language that says what went wrong and what to do,
 * with a reference code that is also in the log, and never a stack trace. Machines (no {@code text/html}
 * in Accept) get the same as JSON.
 */
@Controller
public class ErrorPageController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ErrorPageController.class);

    private final ErrorPages pages;

    public ErrorPageController(ErrorPages pages) {
        this.pages = pages;
    }

    @RequestMapping(value = "/error", produces = MediaType.TEXT_HTML_VALUE)
    public String page(HttpServletRequest request, HttpServletResponse response, Model model) {
        ErrorView view = describe(request);
        if (view.outage()) {
            // A database outage cannot be written to the trail: it is in the log, under its reference.
            return pages.showUnrecorded(ErrorPages.Kind.ERROR, view.reason(), view.status(), view.reference(), response,
                    model);
        }
        return pages.show(ErrorPages.Kind.ERROR, view.reason(), view.status(), view.clientId(), view.reference(),
                false, response, model);
    }

    /**
     * The same error page again, in the language just chosen: the message and the code recorded under
     * {@code reference} ({@link ErrorPages}); a code that was never shown is "page not found".
     */
    @GetMapping(value = ErrorPages.PAGE + "/{reference}", produces = MediaType.TEXT_HTML_VALUE)
    public String again(@PathVariable String reference, HttpServletResponse response, Model model) {
        ErrorPages.Shown shown = pages.recorded(reference).orElse(null);
        if (shown == null) {
            return pages.show(ErrorPages.Kind.ERROR, "not-found", 404, null, null, false, response, model);
        }
        response.setStatus(shown.status());
        model.addAttribute("reason", shown.reason());
        model.addAttribute("reference", reference);
        model.addAttribute("languages", LanguageLinks.to(ErrorPages.PAGE + "/" + reference));
        return shown.kind().template;
    }

    @RequestMapping("/error")
    @ResponseBody
    public ResponseEntity<Map<String, Object>> json(HttpServletRequest request) {
        ErrorView view = describe(request);
        return ResponseEntity.status(view.status())
                .body(Map.of("error", view.oauthError(), "reference", view.reference()));
    }

    private static ErrorView describe(HttpServletRequest request) {
        Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = statusAttribute instanceof Integer s ? s : 500;
        OAuth2Error oauth = request.getAttribute(AuthorizationResponseHandler.ERROR_ATTRIBUTE) instanceof OAuth2Error e
                ? e : null;
        String reason = reason(status, oauth);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        Throwable cause = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        // A database outage was already logged, under this reference, by DatabaseOutageFilter.
        String outage = (String) request.getAttribute(DatabaseOutage.REFERENCE_ATTRIBUTE);
        String reference = outage != null ? outage : ReferenceCode.next();
        // The reference also as a field of structured (JSON) log events: README "Logs".
        try (org.slf4j.MDC.MDCCloseable field = org.slf4j.MDC.putCloseable("passerelle.reference", reference)) {
            if (outage != null) {
                log.debug("error {} status {} on {}: database unavailable", reference, status, uri);
            } else if (status >= 500) {
                log.error("error {} status {} on {}", reference, status, uri, cause);
            } else {
                log.info("error {} status {} on {}: {} {}", reference, status, uri, reason,
                        oauth == null ? "" : oauth.getErrorCode() + " " + oauth.getDescription());
            }
        }
        String oauthError = oauth != null ? oauth.getErrorCode()
                : status == 404 ? "not_found" : status >= 500 ? OAuth2ErrorCodes.SERVER_ERROR : "invalid_request";
        return new ErrorView(status, reason, reference, oauthError, outage != null,
                oauth == null ? null : request.getParameter("client_id"));
    }

    /** The message key suffix the page shows; names what went wrong in the citizen's terms. */
    static String reason(int status, OAuth2Error oauth) {
        if (oauth != null) {
            String description = oauth.getDescription() == null ? "" : oauth.getDescription();
            if (description.contains(": client_id") || OAuth2ErrorCodes.INVALID_CLIENT.equals(oauth.getErrorCode())) {
                return "portal-unknown";
            }
            if (description.contains(": redirect_uri")) {
                return "redirect-uri";
            }
            return "request-invalid";
        }
        return switch (status) {
            case 400 -> "request-invalid";
            case 401, 403 -> "forbidden";
            case 404, 405 -> "not-found";
            // Only DatabaseOutageFilter answers 503: temporarily unavailable, try again in a few minutes.
            case 503 -> "unavailable";
            default -> status >= 500 ? "server" : "request-invalid";
        };
    }

    private record ErrorView(int status, String reason, String reference, String oauthError, boolean outage,
                             String clientId) {
    }
}

package io.passerelle.web;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;
import io.passerelle.audit.ReferenceCode;
import io.passerelle.broker.LoginFailure;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * Every error page a citizen reads, in one place: its reference code is written to the audit trail (so a
 * helpdesk finds every code a citizen reads, DESIGN.md), and the language switcher of the page links to
 * {@link #PAGE}{@code /<reference>}, which shows the same page again from that audit event: same message,
 * same code, in the new language. Re-running the request instead would show a new code, and sometimes
 * another message (issue 13). The replayed page shows only the message and the code, nothing personal.
 */
@Component
public class ErrorPages {

    static final String PAGE = "/problem";
    private static final Logger log = LoggerFactory.getLogger(ErrorPages.class);
    private static final Pattern REASON = Pattern.compile("[a-z][a-z-]{0,40}");

    /** The three error templates. */
    enum Kind {
        ERROR("error"), LOGIN("login-error"), CONSENT("consent-error");

        final String template;

        Kind(String template) {
            this.template = template;
        }
    }

    /** A page to show again: its template, message and status. */
    record Shown(Kind kind, String reason, int status) {
    }

    private final AuditLog audit;

    public ErrorPages(AuditLog audit) {
        this.audit = audit;
    }

    /**
     * Records an error page under a new reference (or shows {@code existing}, already in the trail when
     * {@code alreadyAudited}) and fills the model; returns the template. When the trail cannot be written
     * the page is still shown, and its language links repeat the request instead.
     */
    String show(Kind kind, String reason, int status, String clientId, String existing, boolean alreadyAudited,
                HttpServletResponse response, Model model) {
        String reference = existing != null ? existing : ReferenceCode.next();
        boolean recorded = alreadyAudited;
        if (!alreadyAudited) {
            try {
                audit.record(AuditEvent.of(AuditType.ERROR_SHOWN).actor("citizen").reference(reference)
                        .detail("client_id", clientId == null || clientId.length() > 100 ? null : clientId)
                        .reason(reason).detail("page", kind.name().toLowerCase(Locale.ROOT))
                        .detail("status", Integer.toString(status)));
                recorded = true;
            } catch (DataAccessException e) {
                log.warn("error page {} ({}) not recorded in the audit trail: {}", reference, reason, e.getMessage());
            }
        }
        response.setStatus(status);
        model.addAttribute("reason", reason);
        model.addAttribute("reference", reference);
        if (recorded) {
            model.addAttribute("languages", LanguageLinks.to(PAGE + "/" + reference));
        }
        return kind.template;
    }

    /**
     * An error page whose code is only in the log (the database, hence the trail, is away): its language
     * links repeat the request.
     */
    String showUnrecorded(Kind kind, String reason, int status, String reference, HttpServletResponse response,
                          Model model) {
        response.setStatus(status);
        model.addAttribute("reason", reason);
        model.addAttribute("reference", reference);
        return kind.template;
    }

    /**
     * A login failure: already in the trail as {@code LOGIN_FAILED}, under its reference. The reason stays
     * in the login's record (the broker keeps it), so that "back to the website" tells the portal what
     * happened; the page's links name the login.
     */
    String loginFailure(LoginFailure failure, HttpServletResponse response, Model model) {
        model.addAttribute("login", failure.loginId());
        return show(Kind.LOGIN, failure.reason(), LoginFailure.status(failure.reason()), null, failure.reference(), true,
                response, model);
    }

    /** The page recorded under {@code reference}, if any. */
    Optional<Shown> recorded(String reference) {
        if (!ReferenceCode.isWellFormed(reference)) {
            return Optional.empty();
        }
        for (AuditEvent event : audit.byReference(reference)) {
            String reason = event.reason() == null ? "" : event.reason();
            if (event.type() == AuditType.LOGIN_FAILED) {
                // "reason: what the log needs", written by the broker
                String key = reason.split(":", 2)[0].trim();
                if (REASON.matcher(key).matches()) {
                    return Optional.of(new Shown(Kind.LOGIN, key, LoginFailure.status(key)));
                }
            } else if (event.type() == AuditType.ERROR_SHOWN && REASON.matcher(reason).matches()) {
                Kind kind = switch (event.details().getOrDefault("page", "")) {
                    case "login" -> Kind.LOGIN;
                    case "consent" -> Kind.CONSENT;
                    default -> Kind.ERROR;
                };
                int status = parseStatus(event.details().get("status"));
                return Optional.of(new Shown(kind, reason, status));
            }
        }
        return Optional.empty();
    }

    private static int parseStatus(String value) {
        try {
            int status = Integer.parseInt(value);
            return status >= 400 && status <= 599 ? status : 400;
        } catch (NumberFormatException e) {
            return 400;
        }
    }
}

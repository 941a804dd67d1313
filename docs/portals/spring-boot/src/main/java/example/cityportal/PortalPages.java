package example.cityportal;

import java.util.Map;
import java.util.TreeMap;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The portal's two pages. Plain HTML strings keep the guide free of a template engine; every value from the
 * ID token is escaped.
 */
@RestController
public class PortalPages {

    /** Signed in (Spring sends anyone else to Passerelle first): the claims of the verified ID token. */
    @GetMapping(path = "/", produces = "text/html;charset=UTF-8")
    public String home(@AuthenticationPrincipal OidcUser citizen, CsrfToken csrf) {
        StringBuilder rows = new StringBuilder();
        Map<String, Object> claims = new TreeMap<>(citizen.getIdToken().getClaims());
        claims.forEach((name, value) -> rows.append("<tr><th>").append(escape(name)).append("</th><td id=\"claim-")
                .append(escape(name)).append("\">").append(escape(String.valueOf(value))).append("</td></tr>\n"));
        String name = citizen.getGivenName() != null ? citizen.getGivenName() : "citizen"; // given_name needs scope profile
        return page("Welcome, " + escape(name), """
                <p>Passerelle signed you in at level <strong id="acr">%s</strong>.</p>
                <table>
                %s</table>
                <form method="post" action="/logout">
                  <input type="hidden" name="%s" value="%s">
                  <button type="submit">Sign out</button>
                </form>
                """.formatted(escape(citizen.getIdToken().getClaimAsString("acr")), rows,
                escape(csrf.getParameterName()), escape(csrf.getToken())));
    }

    /** Where Passerelle sends the browser back after the sign-out (post_logout_redirect_uri). */
    @GetMapping(path = "/signed-out", produces = "text/html;charset=UTF-8")
    public String signedOut() {
        return page("Signed out", "<p id=\"signed-out\">You are signed out of the portal and of Passerelle.</p>"
                + "<p><a href=\"/\">Sign in again</a></p>");
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>City portal</title></head>"
                + "<body><main><h1>" + title + "</h1>\n" + body + "</main></body></html>";
    }

    private static String escape(String value) {
        return HtmlUtils.htmlEscape(value, "UTF-8");
    }
}

package io.passerelle.issuer;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcLogoutAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.oidc.web.authentication.OidcLogoutAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/**
 * A portal's logout request (OIDC RP-Initiated Logout 1.0) that the server accepted: the other portals
 * of the same browser session hear of it by back-channel logout ({@link BackChannelLogout}), then the
 * server's own handler ends the session and redirects to the {@code post_logout_redirect_uri}. Only
 * when the server matched the ID token's {@code sid} to this browser's session (the principal is then
 * authenticated): a leaked ID token alone signs nobody out anywhere.
 */
final class SignOutHandler implements AuthenticationSuccessHandler {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SignOutHandler.class);

    private final AuthenticationSuccessHandler standard = new OidcLogoutAuthenticationSuccessHandler();
    private final BackChannelLogout backChannel;

    SignOutHandler(BackChannelLogout backChannel) {
        this.backChannel = backChannel;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                                        Authentication authentication) throws IOException, ServletException {
        if (authentication instanceof OidcLogoutAuthenticationToken logout && logout.isPrincipalAuthenticated()
                && logout.getIdToken() != null) {
            String sid = logout.getIdToken().getClaimAsString("sid");
            if (sid != null) {
                try {
                    backChannel.sessionEnded(((Authentication) logout.getPrincipal()).getName(), sid);
                } catch (RuntimeException e) {
                    // The citizen is signed out here whatever happens to the other portals' notices.
                    log.warn("back-channel logout not completed: {}", e.toString());
                }
            }
        }
        standard.onAuthenticationSuccess(request, response, authentication);
    }
}

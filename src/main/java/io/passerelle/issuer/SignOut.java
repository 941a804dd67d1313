package io.passerelle.issuer;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import io.passerelle.identity.CitizenAuthentication;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Ends a citizen's sign-in: the portals are told by back-channel logout ({@link BackChannelLogout}), then
 * the browser's session ends. The second happens whatever becomes of the first: a citizen is never left
 * signed in because a portal's notice could not be prepared.
 */
public final class SignOut {

    private static final Logger log = LoggerFactory.getLogger(SignOut.class);

    private final BackChannelLogout backChannel;

    public SignOut(BackChannelLogout backChannel) {
        this.backChannel = backChannel;
    }

    /** This browser's session: its portals hear of it (the portal that asked included, 2.5 does not exclude it). */
    public void thisSession(HttpServletRequest request, CitizenAuthentication citizen) {
        if (citizen != null && citizen.sid() != null) {
            tell(citizen.citizenId(), citizen.sid());
        }
        end(request);
    }

    /** Every session of the citizen, on every browser ("sign out everywhere" on the account page). */
    public void everywhere(HttpServletRequest request, CitizenAuthentication citizen) {
        if (citizen != null) {
            tell(citizen.citizenId(), null);
        }
        end(request);
    }

    private void tell(String citizen, String sid) {
        try {
            backChannel.sessionEnded(citizen, sid);
        } catch (RuntimeException e) {
            log.warn("back-channel logout not completed: {}", e.toString());
        }
    }

    private static void end(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
    }
}

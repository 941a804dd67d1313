package io.passerelle.issuer;

import java.io.Serializable;

/**
 * A logout request waiting for the citizen's answer (RP-Initiated Logout 1.0, 3), kept in the browser's
 * session between the logout endpoint and the confirmation page.
 *
 * @param clientId the portal that asked, when identified; else null
 * @param redirect where to send the browser once signed out (registered, with state), or null
 */
public record PendingLogout(String clientId, String redirect) implements Serializable {

    public static final String SESSION_ATTRIBUTE = PendingLogout.class.getName();
    /** The question "Sign out?" (a citizen page: CSRF-protected form). */
    public static final String CONFIRM_PAGE = "/signout";
    /** "You are signed out". */
    public static final String DONE_PAGE = "/signout/done";
}

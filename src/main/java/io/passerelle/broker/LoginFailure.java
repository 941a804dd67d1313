package io.passerelle.broker;

/**
 * A login that cannot complete, with what the citizen is told ({@link #reason()}, a message key
 * suffix) and the reference code they see, which the audit trail also carries.
 */
public final class LoginFailure extends RuntimeException {

    private final String reason;
    private final String reference;
    private final String connectorId;
    private final String loginId;

    public LoginFailure(String reason, String reference, String connectorId, String loginId, String message,
                        Throwable cause) {
        super(message, cause);
        this.loginId = loginId;
        this.reason = reason;
        this.reference = reference;
        this.connectorId = connectorId;
    }

    /**
     * cancelled, unavailable, timeout, unreachable, server-error, upstream-error, invalid-response, loa-not-met,
     * misconfigured, expired, wrong-browser, revocation-unknown, card-revoked.
     */
    public String reason() {
        return reason;
    }

    /**
     * The HTTP status of the page that explains {@code reason}: 504 when the provider was too slow, 502 when it
     * could not be reached or answered with a server error, 503 when it (or a card's revocation service) is
     * otherwise unavailable, 500 for our own set-up; 403 when the citizen could not be authenticated as
     * required; 400 for an answer that failed a check (it arrives with the browser's request: a forged or
     * expired token, a bad card) and for a login that is over.
     */
    public static int status(String reason) {
        return switch (reason) {
            case "timeout" -> 504;
            case "unreachable", "server-error" -> 502;
            case "unavailable", "revocation-unknown" -> 503;
            case "misconfigured" -> 500;
            case "upstream-error", "loa-not-met", "card-revoked" -> 403;
            default -> 400;
        };
    }

    /**
     * What the portal is told when the citizen goes back to it after this failure (RFC 6749 4.1.2.1):
     * {@code temporarily_unavailable} when the key's service is down or too slow (the citizen may try again
     * later), {@code server_error} when its answer could not be trusted or our set-up is wrong, and
     * {@code access_denied} when the citizen cancelled or could not be authenticated as required.
     */
    public static String portalError(String reason) {
        return switch (reason) {
            case "timeout", "unreachable", "server-error", "unavailable", "revocation-unknown" -> "temporarily_unavailable";
            case "invalid-response", "misconfigured" -> "server_error";
            default -> "access_denied";
        };
    }

    public String reference() {
        return reference;
    }

    public String connectorId() {
        return connectorId;
    }

    /** The login in flight, when known: its error page offers another key and the way back to the portal. */
    public String loginId() {
        return loginId;
    }
}

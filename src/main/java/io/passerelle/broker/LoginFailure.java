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

    /** cancelled, unavailable, upstream-error, invalid-response, loa-not-met, misconfigured, expired, wrong-browser. */
    public String reason() {
        return reason;
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

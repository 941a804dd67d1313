package io.passerelle.connector;

/**
 * Why a login through a connector did not succeed, in terms the broker can act on: which page the
 * citizen sees and which OAuth error, if any, the portal gets. The message is for the audit trail and
 * the log: never a token, a national number or a secret.
 */
public final class ConnectorException extends RuntimeException {

    /** What kind of failure; each maps to one citizen-facing explanation. */
    public enum Kind {
        /** The citizen cancelled or refused upstream ({@code access_denied}). */
        CANCELLED,
        /** The provider could not be used for now, without a finer cause (e.g. a revocation service). */
        UNAVAILABLE,
        /** The provider did not answer in time (connect or read timeout, or an answer trickling past the deadline). */
        TIMEOUT,
        /** The provider could not be reached: connection refused or reset, unknown host, TLS failure. */
        UNREACHABLE,
        /** The provider answered with a server error (HTTP 5xx) or asked us to slow down (429). */
        SERVER_ERROR,
        /** The provider answered with an OAuth error other than a cancellation. */
        UPSTREAM_ERROR,
        /** The provider's answer failed a check: malformed, forged, replayed, expired, for someone else. */
        INVALID_RESPONSE,
        /** The citizen authenticated, but at a lower level of assurance than required. */
        LOA_NOT_MET,
        /** The connector's configuration cannot work against the provider (e.g. discovery disagrees). */
        MISCONFIGURED
    }

    private final Kind kind;
    private final String check;
    private final String citizenReason;

    public ConnectorException(Kind kind, String check, String message) {
        this(kind, check, null, message, null);
    }

    public ConnectorException(Kind kind, String check, String message, Throwable cause) {
        this(kind, check, null, message, cause);
    }

    /**
     * @param citizenReason the page the citizen sees (a message key suffix, {@code login-error.<reason>.what}),
     *                      when the connector can say more than its {@link Kind} does (a card's own refusals)
     */
    public ConnectorException(Kind kind, String check, String citizenReason, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.check = check;
        this.citizenReason = citizenReason;
    }

    public Kind kind() {
        return kind;
    }

    /** The connector's own explanation for the citizen, or null: then the page of the {@link #kind()}. */
    public String citizenReason() {
        return citizenReason;
    }

    /** The name of the failed check (e.g. {@code IdTokenIssuerMatches}) or the failed step; for the audit trail. */
    public String check() {
        return check;
    }
}

package io.passerelle.audit;

/** Every kind of event Passerelle records. New kinds are added here, never free-text types. */
public enum AuditType {
    /** A citizen chose a key and was sent upstream. */
    LOGIN_STARTED,
    /** The upstream provider authenticated the citizen and its answer passed every check. */
    UPSTREAM_AUTHENTICATED,
    /** A login failed; {@code reason} says why and {@code reference} is the code the citizen saw. */
    LOGIN_FAILED,
    /** An authorization code was issued to a portal. */
    CODE_ISSUED,
    /** Tokens were issued to a portal (code exchange or refresh). */
    TOKENS_ISSUED,
    /** A grant was revoked (revocation endpoint, code replay, refresh-token reuse, consent withdrawn). */
    GRANT_REVOKED,
    /** A key was generated into the ring. */
    KEY_GENERATED,
    /** A key changed state (next, active, retired, removed) by schedule or by an operator. */
    KEY_ROTATED,
    /** A key was revoked in an emergency. */
    KEY_REVOKED,
    /** A citizen's consent was granted, refused or withdrawn. */
    CONSENT_CHANGED,
    /** A portal asked for scopes beyond its configuration: refused or trimmed, as its file says. */
    SCOPE_LIMITED,
    /** A citizen signed out: of one browser session (a portal's logout request) or everywhere (account page). */
    SIGNED_OUT,
    /** A portal acknowledged a back-channel logout token (HTTP 200/204). */
    LOGOUT_NOTIFIED,
    /** A back-channel logout token could not be delivered; {@code reason} says why. */
    LOGOUT_NOTIFICATION_FAILED,
    /**
     * Failed client authentications reached a limit (per address or per client): requests are refused with
     * 429 until the window ends; {@code reason} says which limit, the details name the address.
     */
    CLIENT_AUTHENTICATION_THROTTLED,
    /**
     * An operator removed a portal's stored data ({@code portals remove}): the actor, the reason and, in the
     * details, how many authorizations, consent decisions, session rows and registrations were deleted.
     */
    PORTAL_REMOVED,
    /**
     * A person was shown an error page (a refused authorization request, an unknown page, a consent question
     * that cannot be answered...): {@code reference} is the code on the page, {@code reason} the message the
     * page shows, the details its kind and HTTP status. The language switcher shows the same page again from
     * this event, so the code the citizen reads does not change (issue 13).
     */
    ERROR_SHOWN,
    /**
     * A node applied changed portal files without a restart; the details list the client ids {@code added},
     * {@code changed} and {@code removed} (removed from this node's memory only: nothing stored is deleted).
     */
    PORTAL_RELOADED,
    /**
     * A portal file was refused while the node runs: the details name the {@code file} and the {@code field},
     * {@code reason} says why; the portal keeps the configuration it was served with (none for a new file).
     */
    PORTAL_CONFIG_REFUSED,
    /**
     * A node applied changed connector files without a restart (or through the admin API); the details list the
     * connector ids {@code added}, {@code changed} and {@code removed} (from this node's memory only: citizens'
     * links through a removed connector are kept).
     */
    CONNECTOR_RELOADED,
    /**
     * A connector file, or a connector's removal, was refused while the node runs: the details name the
     * {@code file} and the {@code field}, {@code reason} says why; the connector keeps the configuration it was
     * served with (none for a new file).
     */
    CONNECTOR_CONFIG_REFUSED
}

package io.passerelle.connector.eid;

/** A definitive revocation answer (RFC 6960 2.2). */
public enum RevocationStatus {
    GOOD,
    REVOKED,
    UNKNOWN
}

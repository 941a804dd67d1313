package io.passerelle.connector.eid;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;

/**
 * What a citizen is told when their card is refused: each failed check of the card becomes the page that says
 * what went wrong with <em>their card</em> and what to do (messages {@code login-error.<reason>.what} and
 * {@code .todo}), instead of the generic "the answer could not be verified". The audit trail keeps the check.
 */
final class EidRefusals {

    static final String NOT_READ = "card-not-read";
    static final String EXPIRED = "card-expired";
    static final String NOT_YET_VALID = "card-not-yet-valid";
    static final String REVOKED = "card-revoked";
    static final String STATUS_UNKNOWN = "card-status-unknown";
    static final String ISSUER_UNREACHABLE = "revocation-unknown";
    static final String WRONG_CERTIFICATE = "card-wrong-certificate";
    static final String UNKNOWN_ISSUER = "card-unknown-issuer";

    private EidRefusals() {
    }

    /** The refusal with the citizen's explanation attached (the same kind, check and message). */
    static ConnectorException explained(ConnectorException refusal) {
        String reason = reason(refusal.kind(), refusal.check());
        return reason == null ? refusal
                : new ConnectorException(refusal.kind(), refusal.check(), reason, refusal.getMessage(), refusal);
    }

    /** The page for a failed check, or null for the generic page of the kind (a malformed subject, a proxy fault). */
    static String reason(Kind kind, String check) {
        String name = check == null ? "" : check;
        return switch (name) {
            // No certificate: no card in the reader, the reader or the eID software did not answer, or the
            // citizen dismissed the browser's question. From the server these look the same.
            case CertificateChecks.CHAIN_PRESENT -> NOT_READ;
            case CertificateChecks.WITHIN_VALIDITY -> EXPIRED;
            case CertificateChecks.VALIDITY_STARTED -> NOT_YET_VALID;
            case CertificateChecks.PATH_VALID -> UNKNOWN_ISSUER;
            // The signature certificate, or another certificate the browser offered.
            case CertificateChecks.END_ENTITY, CertificateChecks.KEY_USAGE, CertificateChecks.POLICY -> WRONG_CERTIFICATE;
            // A revoked issuing CA revokes every card it issued: the citizen needs a new card all the same.
            case RevocationChecker.NOT_REVOKED, RevocationChecker.CA_NOT_REVOKED -> REVOKED;
            // An answer saying "unknown" (suspended, not activated): the issuer was asked, and does not vouch.
            case RevocationChecker.STATUS_KNOWN -> kind == Kind.INVALID_RESPONSE ? STATUS_UNKNOWN : ISSUER_UNREACHABLE;
            default -> name.startsWith("EidOcsp") || name.startsWith("EidCrl") ? ISSUER_UNREACHABLE : null;
        };
    }
}

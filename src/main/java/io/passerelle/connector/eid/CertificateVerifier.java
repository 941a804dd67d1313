package io.passerelle.connector.eid;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import java.security.cert.TrustAnchor;

/**
 * Verifies a presented eID authentication certificate chain, every check in turn (see {@link CertificateChecks}),
 * then the revocation status of the issuing CAs and of the card, and returns who holds the card. Any failure is a
 * ConnectorException.
 */
public final class CertificateVerifier {

    private final TrustSettings trust;
    private final Set<TrustAnchor> anchors;
    private final RevocationChecker revocation;
    private final Clock clock;

    public CertificateVerifier(TrustSettings trust, RevocationChecker revocation, Clock clock) {
        this.trust = trust;
        this.anchors = trust.anchors();
        this.revocation = revocation;
        this.clock = clock;
    }

    public CardHolder verify(List<X509Certificate> chain) {
        Instant now = clock.instant();
        X509Certificate card = CertificateChecks.endEntity(chain);
        List<X509Certificate> path = CertificateChecks.buildPath(card, chain, trust);
        CertificateChecks.withinValidity(path, now);
        CertificateChecks.pathValid(path, anchors, now);
        CertificateChecks.endEntityNotCa(card);
        CertificateChecks.keyUsageAuthentication(card);
        CardTypeRule rule = CertificateChecks.cardTypeRule(card, issuer(path, 0), trust);
        CardHolder holder = CertificateChecks.holder(card, rule.type()).at(rule.loa());
        // Last, because they are the only steps that may go to the network. Top down (RFC 5280 6.1.3 (a)(3)): the
        // issuing CAs against their issuer's CRL (the root's ARL), then the card (OCSP, CRL fallback).
        for (int i = path.size() - 1; i >= 1; i--) {
            revocation.checkIssuingCa(path.get(i), issuer(path, i));
        }
        revocation.check(card, issuer(path, 0));
        return holder;
    }

    /** The issuer of path[i]: the next certificate of the path, or the configured root that signed the last one. */
    private X509Certificate issuer(List<X509Certificate> path, int i) {
        if (i + 1 < path.size()) {
            return path.get(i + 1);
        }
        X509Certificate last = path.get(i);
        // pathValid has verified the signature against one of these; a re-keyed root may share the name.
        return trust.roots().stream().filter(r -> r.getSubjectX500Principal().equals(last.getIssuerX500Principal()))
                .filter(r -> signedBy(last, r)).findFirst().orElseThrow(
                        () -> CertificateChecks.fail(CertificateChecks.PATH_VALID, "no configured root signed the path"));
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }
}

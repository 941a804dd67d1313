package io.passerelle.connector.eid;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import java.security.cert.TrustAnchor;

/**
 * Verifies a presented eID authentication certificate chain, every check in turn (see {@link CertificateChecks}),
 * then its revocation status, and returns who holds the card. Any failure is a ConnectorException.
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
        CardType type = CertificateChecks.authenticationPolicy(card, trust);
        CardHolder holder = CertificateChecks.holder(card, type);
        // Last, because it is the only step that may go to the network.
        revocation.check(card, issuer(path));
        return holder;
    }

    private X509Certificate issuer(List<X509Certificate> path) {
        if (path.size() > 1) {
            return path.get(1);
        }
        X509Certificate card = path.get(0);
        return trust.roots().stream().filter(r -> r.getSubjectX500Principal().equals(card.getIssuerX500Principal()))
                .findFirst().orElseThrow();
    }
}

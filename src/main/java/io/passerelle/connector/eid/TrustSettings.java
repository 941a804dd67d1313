package io.passerelle.connector.eid;

import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a card certificate is verified against: the configured roots (both the older RSA and the newer EC
 * hierarchy can be listed), the issuing CAs (a browser often sends the card certificate alone), and the
 * rules that say from the issuing CA and the authentication policy which kind of card it is.
 *
 * @param roots      trust anchors (self-signed roots)
 * @param issuingCas intermediate CA certificates used to complete a chain
 * @param cardTypes  tried in order; a certificate no rule matches is refused (it has no authentication policy)
 */
public record TrustSettings(List<X509Certificate> roots, List<X509Certificate> issuingCas, List<CardTypeRule> cardTypes) {

    /** Domain facts 2.1.2: arcs 1, 9, 10, 12 = Root CA, CA2, CA3, CA4. */
    public static final Set<String> DEFAULT_CITIZEN_POLICIES = Set.of("2.16.56.1.1.1.2.2", "2.16.56.9.1.1.2.2",
            "2.16.56.10.1.1.2.2", "2.16.56.12.1.1.2.2");
    public static final Set<String> DEFAULT_FOREIGNER_POLICIES = Set.of("2.16.56.1.1.1.7.2", "2.16.56.9.1.1.7.2",
            "2.16.56.10.1.1.7.2", "2.16.56.12.1.1.7.2");

    public TrustSettings {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("at least one trust anchor is needed");
        }
        roots = List.copyOf(roots);
        issuingCas = List.copyOf(issuingCas);
        if (cardTypes.isEmpty()) {
            throw new IllegalArgumentException("at least one card type rule is needed");
        }
        cardTypes = List.copyOf(cardTypes);
    }

    public Set<TrustAnchor> anchors() {
        Set<TrustAnchor> anchors = new LinkedHashSet<>();
        roots.forEach(root -> anchors.add(new TrustAnchor(root, null)));
        return anchors;
    }
}

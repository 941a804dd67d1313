package io.passerelle.connector.eid;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * One line of the connector's {@code card_types}: a certificate carrying one of {@code policies}, and (when
 * {@code issuingCas} is not empty) issued by one of those CAs, is of card type {@code type}. Rules are tried in
 * order and the first match wins, so a rule for one CA goes before a broader rule with the same policy.
 *
 * @param type       what the card is
 * @param policies   authentication policy OIDs (RFC 5280 4.2.1.4); a certificate needs one of them
 * @param issuingCas empty: any configured CA; else only certificates these CAs signed (name and key)
 * @param loa        the eIDAS level a card of this rule gives (LoA policy: certificate policy and CA → level), or
 *                   null for the connector's {@code loa}
 */
public record CardTypeRule(CardType type, Set<String> policies, List<X509Certificate> issuingCas,
                           io.passerelle.connector.Loa loa) {

    public CardTypeRule(CardType type, Set<String> policies, List<X509Certificate> issuingCas) {
        this(type, policies, issuingCas, null);
    }

    public CardTypeRule {
        if (policies.isEmpty()) {
            throw new IllegalArgumentException("a card type rule needs at least one policy");
        }
        policies = Set.copyOf(policies);
        issuingCas = List.copyOf(issuingCas);
    }

    /** Citizen and foreigner authentication policies under every Belgian root arc (domain facts 2.1.2). */
    public static List<CardTypeRule> defaults() {
        return List.of(new CardTypeRule(CardType.CITIZEN, TrustSettings.DEFAULT_CITIZEN_POLICIES, List.of()),
                new CardTypeRule(CardType.FOREIGNER, TrustSettings.DEFAULT_FOREIGNER_POLICIES, List.of()));
    }

    /** True when the certificate has one of the policies and, if the rule names CAs, was signed by one. */
    boolean matches(Set<String> certificatePolicies, X509Certificate issuer) {
        if (certificatePolicies.stream().noneMatch(policies::contains)) {
            return false;
        }
        return issuingCas.isEmpty() || issuingCas.stream().anyMatch(ca -> sameCa(ca, issuer));
    }

    /** Same name and same key: a re-keyed CA under the same name is a different CA. */
    static boolean sameCa(X509Certificate a, X509Certificate b) {
        return a.getSubjectX500Principal().equals(b.getSubjectX500Principal())
                && a.getPublicKey().equals(b.getPublicKey());
    }

    /** True when every certificate this rule matches is already matched by {@code earlier}. */
    boolean shadowedBy(CardTypeRule earlier) {
        boolean widerCas = earlier.issuingCas.isEmpty() || !issuingCas.isEmpty()
                && issuingCas.stream().allMatch(ca -> earlier.issuingCas.stream().anyMatch(e -> sameCa(e, ca)));
        return widerCas && earlier.policies.containsAll(policies);
    }
}

package io.passerelle.connector.eid;

/**
 * Which kind of eID card authenticated. The document type itself is in the card's identity file, not in the
 * authentication certificate; from TLS alone it can only be told by the issuing CA and the certificate policy
 * (domain facts 2.1.5), which {@link CardTypeRule}s map to a type: by default citizen {@code 2.16.56.x.1.1.2.2}
 * and foreigner {@code 2.16.56.x.1.1.7.2} (domain facts 2.1.2).
 *
 * <p>{@link #KIDS} has no default rule on purpose: whether a Kids-ID carries an authentication certificate at
 * all, and under which CA and policy, is unknown (domain facts 2.1.5). An operator who has confirmed those facts
 * maps them in the connector file ({@code card_types}); until then no certificate is ever typed "kids".
 */
public enum CardType {
    CITIZEN,
    FOREIGNER,
    KIDS;

    /** The value of the {@code eid_card_type} attribute, and the spelling in the connector file. */
    public String attributeValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

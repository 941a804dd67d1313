package io.passerelle.connector.eid;

/**
 * Which kind of eID card authenticated. The document type itself is in the card's identity file, not in the
 * authentication certificate; from TLS alone it can only be told by the certificate policy (domain facts
 * 2.1.5): citizen {@code 2.16.56.x.1.1.2.2}, foreigner {@code 2.16.56.x.1.1.7.2}.
 */
public enum CardType {
    CITIZEN,
    FOREIGNER;

    /** The value of the {@code eid_card_type} attribute. */
    public String attributeValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

package io.passerelle.connector.eid;

import java.security.cert.X509Certificate;

/**
 * What a verified eID authentication certificate says about its holder.
 *
 * @param nationalNumber the 11-digit national register number (subject serialNumber)
 * @param givenName      all first names (subject givenName)
 * @param surname        the family name (subject surname)
 * @param cardType       citizen, foreigner or kids, from the issuing CA and policy ({@link CardTypeRule})
 * @param certificate    the verified end-entity certificate
 * @param loa            the level its card type rule gives ({@code card_types[].loa}), or null: the connector's
 */
public record CardHolder(String nationalNumber, String givenName, String surname, CardType cardType,
                         X509Certificate certificate, io.passerelle.connector.Loa loa) {

    public CardHolder(String nationalNumber, String givenName, String surname, CardType cardType,
                      X509Certificate certificate) {
        this(nationalNumber, givenName, surname, cardType, certificate, null);
    }

    /** The same holder at the level of the card type rule that matched. */
    CardHolder at(io.passerelle.connector.Loa level) {
        return new CardHolder(nationalNumber, givenName, surname, cardType, certificate, level);
    }

    @Override
    public String toString() {
        // Never print the national number.
        return "CardHolder[" + cardType + "]";
    }
}

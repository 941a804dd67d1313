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
 */
public record CardHolder(String nationalNumber, String givenName, String surname, CardType cardType,
                         X509Certificate certificate) {

    @Override
    public String toString() {
        // Never print the national number.
        return "CardHolder[" + cardType + "]";
    }
}

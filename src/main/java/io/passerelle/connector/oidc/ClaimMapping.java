package io.passerelle.connector.oidc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;

/**
 * Turns a provider's claims into Passerelle's attribute vocabulary. The mapping is an allowlist: a claim
 * the configuration does not name never reaches the citizen's attributes, whatever the provider sends
 * (a provider adding claims must not silently widen what Passerelle holds and may release).
 */
final class ClaimMapping {

    static final String NATIONAL_NUMBER = "national_number";

    private final Map<String, String> mapping;
    private final List<String> defaultAmr;

    ClaimMapping(Map<String, String> mapping, List<String> defaultAmr) {
        this.mapping = mapping;
        this.defaultAmr = defaultAmr;
    }

    /**
     * The mapped attributes: each configured upstream claim from the ID token (verified), else from
     * UserInfo (fetched with the access token over TLS); absent and null claims are left out.
     *
     * @throws ConnectorException INVALID_RESPONSE {@code NationalNumberValid} for a national number that is
     *         not 11 digits with valid check digits: a wrong one would link the citizen to someone else
     */
    Map<String, Object> attributes(Map<String, Object> idToken, Map<String, Object> userInfo) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        mapping.forEach((upstream, target) -> {
            Object value = idToken.get(upstream);
            if (value == null) {
                value = userInfo.get(upstream);
            }
            if (value == null) {
                return;
            }
            if (NATIONAL_NUMBER.equals(target) && !NationalNumber.isValid(value)) {
                // The value itself stays out of the message: it is personal data.
                throw new ConnectorException(Kind.INVALID_RESPONSE, "NationalNumberValid",
                        "the provider's " + upstream + " is not a valid national number (11 digits, mod 97)");
            }
            attributes.put(target, value);
        });
        return attributes;
    }

    /** RFC 8176 amr: the ID token's, when it carries a list of strings, else the configured default. */
    List<String> amr(Object amr) {
        if (amr == null) {
            return defaultAmr;
        }
        if (!(amr instanceof List<?> list) || !list.stream().allMatch(v -> v instanceof String)) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, "IdTokenAmr", "amr is not a list of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }
}

package io.passerelle.issuer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.passerelle.issuer.portal.PortalConfig;

/**
 * What a portal receives of a citizen's verified attributes: an allowlist per scope (OIDC Core 5.4,
 * plus Passerelle's {@code national_number} scope), intersected with the scopes the portal is allowed
 * and was granted. Nothing upstream sent is ever copied as such. The national number leaves only to a
 * portal whose configuration records a legal basis.
 */
public final class ClaimRelease {

    static final Map<String, List<String>> BY_SCOPE = Map.of(
            "profile", List.of("given_name", "family_name", "birthdate", "gender", "locale"),
            "email", List.of("email", "email_verified"),
            "address", List.of("address"),
            "phone", List.of("phone_number", "phone_number_verified"),
            "national_number", List.of("national_number"));

    private ClaimRelease() {
    }

    public static Map<String, Object> release(PortalConfig portal, Set<String> grantedScopes,
                                              Map<String, Object> verified) {
        Map<String, Object> released = new LinkedHashMap<>();
        for (String scope : grantedScopes) {
            if (!portal.scopes().contains(scope)) {
                continue;
            }
            if ("national_number".equals(scope) && (portal.legalBasis() == null || portal.legalBasis().isBlank())) {
                continue;
            }
            for (String claim : BY_SCOPE.getOrDefault(scope, List.of())) {
                Object value = verified.get(claim);
                if (value != null) {
                    released.put(claim, value);
                }
            }
        }
        return released;
    }

    /** The claims userinfo may repeat from the ID token: the releasable ones and the subject. */
    static boolean releasable(String claim) {
        return "sub".equals(claim) || BY_SCOPE.values().stream().anyMatch(list -> list.contains(claim));
    }
}

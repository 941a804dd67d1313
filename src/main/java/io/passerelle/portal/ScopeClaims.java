package io.passerelle.portal;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each scope a portal may be allowed means: the claims it can release (OIDC Core 5.4, plus
 * Passerelle's {@code national_number} and {@code age} scopes). A fact of the portal settings, so that a portal file is
 * validated here without the consent package; what is then released to whom, and with which consent,
 * is {@code consent.ClaimRelease}'s business.
 */
public final class ScopeClaims {

    /** In the order the consent page shows them. */
    public static final Map<String, List<String>> BY_SCOPE = orderedScopes();

    private ScopeClaims() {
    }

    private static Map<String, List<String>> orderedScopes() {
        Map<String, List<String>> scopes = new LinkedHashMap<>();
        scopes.put("profile", List.of("given_name", "family_name", "name", "birthdate", "gender", "locale"));
        scopes.put("email", List.of("email", "email_verified"));
        scopes.put("address", List.of("address"));
        scopes.put("phone", List.of("phone_number", "phone_number_verified"));
        scopes.put("national_number", List.of("national_number"));
        // Derived at sign-in from a verified birth date (broker.Minors): an age check without the date itself.
        scopes.put("age", List.of("age_over_12", "age_over_16", "age_over_18"));
        return Collections.unmodifiableMap(scopes);
    }

    /** Every claim these scopes can release (for validating a portal's aliases). */
    public static Set<String> claimsOf(Collection<String> scopes) {
        Set<String> claims = new LinkedHashSet<>();
        BY_SCOPE.forEach((scope, names) -> {
            if (scopes.contains(scope)) {
                claims.addAll(names);
            }
        });
        return claims;
    }

    /** Whether {@code name} is one of Passerelle's releasable claim names. */
    public static boolean isPasserelleClaim(String name) {
        return BY_SCOPE.values().stream().anyMatch(list -> list.contains(name));
    }
}

package io.passerelle.consent;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.passerelle.portal.PortalConfig;
import io.passerelle.portal.ScopeClaims;

/**
 * What a portal may receive of a citizen's verified attributes: an allowlist per scope (OIDC Core 5.4,
 * plus Passerelle's {@code national_number} scope), intersected with the scopes the portal is allowed
 * and was granted. Nothing upstream sent is ever copied as such. The national number leaves only to a
 * portal whose configuration records a legal basis. What the citizen then grants of it is the consent
 * ledger's business ({@link Consent}).
 *
 * <p>A portal may also ask for single claims through the {@code claims} parameter ({@link ClaimsRequest}):
 * such a claim is released as if its scope had been granted, but only to where it was asked (ID token
 * or userinfo), and only from the portal's allowed scopes: anything else asked is ignored. A claim of a
 * granted scope goes to both the ID token and userinfo, as it always has.
 *
 * <p>{@code name} (profile) is not received from upstream: it is "given_name family_name", derived
 * from those two verified attributes when both are present, and consented to as a claim of its own.
 */
public final class ClaimRelease {

    /** In the order the consent page shows them ({@link ScopeClaims}: what each scope means). */
    static final Map<String, List<String>> BY_SCOPE = ScopeClaims.BY_SCOPE;

    /** Claims that make the sign-in itself: always sent, shown on the consent page, never refusable. */
    public static final List<String> FIXED = List.of("sub", "acr", "auth_time");

    private ClaimRelease() {
    }

    /** The verified attributes this portal may receive for these scopes, under Passerelle's claim names. */
    public static Map<String, Object> release(PortalConfig portal, Collection<String> grantedScopes,
                                              Map<String, Object> verified) {
        return release(portal, grantedScopes, Set.of(), verified);
    }

    /**
     * The verified attributes this portal may receive for these scopes and for the single claims
     * {@code asked} through the {@code claims} parameter (a qualifier such as {@code email_verified}
     * comes with its claim), under Passerelle's claim names. Only claims of the portal's allowed scopes.
     */
    public static Map<String, Object> release(PortalConfig portal, Collection<String> grantedScopes,
                                              Collection<String> asked, Map<String, Object> verified) {
        Map<String, Object> attributes = withDerived(verified);
        Map<String, Object> released = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> scope : BY_SCOPE.entrySet()) {
            if (!allowed(portal, scope.getKey())) {
                continue;
            }
            boolean granted = grantedScopes.contains(scope.getKey());
            for (String claim : scope.getValue()) {
                Object value = attributes.get(claim);
                if (value != null && (granted || asked.contains(claim) || asked.contains(decidedWith(claim)))) {
                    released.put(claim, value);
                }
            }
        }
        return released;
    }

    /** Whether the portal may ever receive this scope's claims: its own scope, and a legal basis for the national number. */
    private static boolean allowed(PortalConfig portal, String scope) {
        if (!portal.scopes().contains(scope)) {
            return false;
        }
        return !"national_number".equals(scope) || portal.legalBasis() != null && !portal.legalBasis().isBlank();
    }

    /** The verified attributes with {@code name} derived from both verified names (never from upstream as such). */
    static Map<String, Object> withDerived(Map<String, Object> verified) {
        Map<String, Object> attributes = new LinkedHashMap<>(verified);
        attributes.remove("name");
        if (verified.get("given_name") instanceof String given && !given.isBlank()
                && verified.get("family_name") instanceof String family && !family.isBlank()) {
            attributes.put("name", given.strip() + " " + family.strip());
        }
        return attributes;
    }

    /**
     * Whether these scopes can release any attribute to this portal: when not (an {@code openid}-only
     * request), the sealed attributes need not be opened at all.
     */
    public static boolean releasesAny(PortalConfig portal, Collection<String> grantedScopes) {
        return releasesAny(portal, grantedScopes, Set.of());
    }

    /** Whether these scopes or these single claims asked through {@code claims} can release any attribute to this portal. */
    public static boolean releasesAny(PortalConfig portal, Collection<String> grantedScopes, Collection<String> asked) {
        for (Map.Entry<String, List<String>> scope : BY_SCOPE.entrySet()) {
            if (allowed(portal, scope.getKey()) && (grantedScopes.contains(scope.getKey())
                    || scope.getValue().stream().anyMatch(asked::contains))) {
                return true;
            }
        }
        return false;
    }

    /** The released claims under the names this portal receives them (its {@code claim_aliases}). */
    public static Map<String, Object> named(PortalConfig portal, Map<String, Object> released) {
        Map<String, Object> named = new LinkedHashMap<>();
        released.forEach((claim, value) -> named.put(portal.claimName(claim), value));
        return named;
    }

    /**
     * A claim that only qualifies another ({@code email_verified} of {@code email}): it goes with its
     * claim and is not asked for on its own. Returns the claim it qualifies, or the claim itself.
     */
    public static String decidedWith(String claim) {
        return claim.endsWith("_verified") ? claim.substring(0, claim.length() - "_verified".length()) : claim;
    }
}

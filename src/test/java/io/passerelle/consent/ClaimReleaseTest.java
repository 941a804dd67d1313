package io.passerelle.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.passerelle.connector.Loa;
import io.passerelle.portal.PortalConfig;

import org.junit.jupiter.api.Test;

/** Claims leave by allowlist: per scope (OIDC Core 5.4), allowed to the portal, granted, and with a legal basis. */
class ClaimReleaseTest {

    private static final Map<String, Object> VERIFIED = Map.of("given_name", "Anna", "family_name", "Peeters",
            "national_number", "85073003328", "eid_card_type", "citizen", "email", "anna@example.org");

    private static PortalConfig portal(List<String> scopes, String legalBasis) {
        Map<String, String> names = Map.of("en", "P", "fr", "P", "nl", "P", "de", "P");
        return new PortalConfig("p", names, List.of(URI.create("https://p.example/cb")), List.of(),
                PortalConfig.AuthMethod.NONE, null, null, null, null, scopes, names, legalBasis, "p",
                PortalConfig.SubjectType.PAIRWISE, Loa.SUBSTANTIAL, "RS256", false, PortalConfig.ScopePolicy.REFUSE, Map.of("national_number", "egovNRN"), null, true, List.of(), null, null, "p.yml");
    }

    @Test
    void onlyTheGrantedAllowedScopesClaimsLeave() {
        PortalConfig portal = portal(List.of("openid", "profile"), null);
        assertThat(ClaimRelease.release(portal, Set.of("openid", "profile", "email"), VERIFIED))
                .containsOnlyKeys("given_name", "family_name", "name");
        assertThat(ClaimRelease.release(portal, Set.of("openid"), VERIFIED)).isEmpty();
    }

    @Test
    void nationalNumberNeedsTheScopeAndALegalBasis() {
        assertThat(ClaimRelease.release(portal(List.of("openid", "national_number"), "Decree art. 5"),
                Set.of("openid", "national_number"), VERIFIED)).containsOnly(Map.entry("national_number", "85073003328"));
        assertThat(ClaimRelease.release(portal(List.of("openid", "national_number"), null),
                Set.of("openid", "national_number"), VERIFIED)).isEmpty();
        assertThat(ClaimRelease.release(portal(List.of("openid", "national_number"), "Decree art. 5"),
                Set.of("openid"), VERIFIED)).isEmpty();
    }

    @Test
    void unknownUpstreamAttributesNeverLeave() {
        PortalConfig everything = portal(List.of("openid", "profile", "email", "address", "phone", "national_number"), "x");
        assertThat(ClaimRelease.release(everything, Set.copyOf(everything.scopes()), VERIFIED))
                .doesNotContainKey("eid_card_type");
    }

    @Test
    void anOpenidOnlyRequestReleasesNothingAndAliasesRenameWhatIsReleased() {
        PortalConfig portal = portal(List.of("openid", "profile", "national_number"), "Decree art. 5");
        assertThat(ClaimRelease.releasesAny(portal, Set.of("openid"))).isFalse();
        assertThat(ClaimRelease.releasesAny(portal, Set.of("openid", "email"))).as("not the portal's scope").isFalse();
        assertThat(ClaimRelease.releasesAny(portal, Set.of("openid", "profile"))).isTrue();
        assertThat(ClaimRelease.named(portal, ClaimRelease.release(portal, Set.of("openid", "national_number"), VERIFIED)))
                .containsOnly(Map.entry("egovNRN", "85073003328"));
    }
}

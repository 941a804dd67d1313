package io.passerelle.connector.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.passerelle.connector.ConnectorException.Kind;
import io.passerelle.connector.Loa;

/** acr_values to send and the level an answered acr is worth (domain facts 2.2, 2.6). */
class LoaPolicyTest {

    private static final String BASIC = "http://itsme.services/v2/claim/acr_basic";
    private static final String ADVANCED = "http://itsme.services/v2/claim/acr_advanced";
    private final LoaPolicy itsme = new LoaPolicy(Loa.HIGH, Map.of(Loa.SUBSTANTIAL, BASIC, Loa.HIGH, ADVANCED),
            Map.of(BASIC, Loa.SUBSTANTIAL, ADVANCED, Loa.HIGH));
    private final LoaPolicy unmapped = new LoaPolicy(Loa.SUBSTANTIAL, Map.of(), Map.of());

    @Test
    void theLowestConfiguredValueThatSatisfiesTheRequirementIsSent() {
        assertThat(itsme.acrValuesFor(Loa.LOW)).contains(BASIC);
        assertThat(itsme.acrValuesFor(Loa.SUBSTANTIAL)).contains(BASIC);
        assertThat(itsme.acrValuesFor(Loa.HIGH)).contains(ADVANCED);
        assertThat(unmapped.acrValuesFor(Loa.LOW)).isEmpty();
    }

    @Test
    void aLevelAboveTheConnectorsCannotBeRequested() {
        OidcConnectorFaultsTest.refused(() -> unmapped.acrValuesFor(Loa.HIGH), Kind.LOA_NOT_MET, "LoaRequestable");
    }

    @Test
    void aMappedAcrGivesItsLevel() {
        assertThat(itsme.achieved(BASIC, Loa.SUBSTANTIAL)).isEqualTo(Loa.SUBSTANTIAL);
        assertThat(itsme.achieved(ADVANCED, Loa.SUBSTANTIAL)).isEqualTo(Loa.HIGH);
    }

    @Test
    void theLevelIsCappedAtTheConnectorsLoa() {
        LoaPolicy capped = new LoaPolicy(Loa.SUBSTANTIAL, Map.of(), Map.of(ADVANCED, Loa.HIGH));
        assertThat(capped.achieved(ADVANCED, Loa.LOW)).isEqualTo(Loa.SUBSTANTIAL);
    }

    @Test
    void withoutAMappingTheConfiguredLoaIsAchieved() {
        assertThat(unmapped.achieved(null, Loa.LOW)).isEqualTo(Loa.SUBSTANTIAL);
        assertThat(unmapped.achieved("anything", Loa.SUBSTANTIAL)).isEqualTo(Loa.SUBSTANTIAL);
    }

    @Test
    void anUnmappedOrMissingAcrFailsClosed() {
        OidcConnectorFaultsTest.refused(() -> itsme.achieved("urn:other", Loa.LOW), Kind.INVALID_RESPONSE, "IdTokenAcrMapped");
        OidcConnectorFaultsTest.refused(() -> itsme.achieved(null, Loa.LOW), Kind.INVALID_RESPONSE, "IdTokenAcrMapped");
        OidcConnectorFaultsTest.refused(() -> itsme.achieved(42, Loa.LOW), Kind.INVALID_RESPONSE, "IdTokenAcrMapped");
    }

    @Test
    void belowTheRequirementIsLoaNotMet() {
        OidcConnectorFaultsTest.refused(() -> itsme.achieved(BASIC, Loa.HIGH), Kind.LOA_NOT_MET, "LoaMet");
    }
}

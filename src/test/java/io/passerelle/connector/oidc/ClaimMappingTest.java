package io.passerelle.connector.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.passerelle.connector.ConnectorException.Kind;

/** The claim allowlist, amr, and the national number check (11 digits, mod 97, with the born-from-2000 rule). */
class ClaimMappingTest {

    private static final String NN = "http://itsme.services/v2/claim/BENationalNumber";
    private final ClaimMapping mapping = new ClaimMapping(
            Map.of(NN, "national_number", "given_name", "given_name", "email", "email"), List.of("hwk"));

    @Test
    void onlyMappedClaimsPassAndTheIdTokenWinsOverUserInfo() {
        Map<String, Object> attributes = mapping.attributes(
                Map.of(NN, "85073003328", "given_name", "Lotte", "sub", "s", "picture", "p"),
                Map.of("given_name", "Other", "email", "l@example.be", "phone_number", "+32"));
        assertThat(attributes).containsOnly(Map.entry("national_number", "85073003328"),
                Map.entry("given_name", "Lotte"), Map.entry("email", "l@example.be"));
    }

    @Test
    void aBadNationalNumberIsRefused() {
        OidcConnectorFaultsTest.refused(() -> mapping.attributes(Map.of(NN, "85073003329"), Map.of()),
                Kind.INVALID_RESPONSE, "NationalNumberValid");
    }

    @Test
    void nationalNumbers() {
        assertThat(NationalNumber.isValid("85073003328")).as("born 1985").isTrue();
        assertThat(NationalNumber.isValid("05073003326")).as("born 2005: 2 prefixed").isTrue();
        assertThat(NationalNumber.isValid("85073003329")).isFalse();
        assertThat(NationalNumber.isValid("05073003394")).as("the pre-2000 digits for 0507300339").isTrue();
        assertThat(NationalNumber.isValid("8507300332")).as("10 digits").isFalse();
        assertThat(NationalNumber.isValid("85.07.30-033.28")).as("formatted").isFalse();
        assertThat(NationalNumber.isValid(85073003328L)).as("a number, not text").isFalse();
        assertThat(NationalNumber.isValid(null)).isFalse();
    }

    @Test
    void amrComesFromTheIdTokenElseTheDefault() {
        assertThat(mapping.amr(List.of("pin", "mfa"))).containsExactly("pin", "mfa");
        assertThat(mapping.amr(null)).containsExactly("hwk");
        OidcConnectorFaultsTest.refused(() -> mapping.amr("pin"), Kind.INVALID_RESPONSE, "IdTokenAmr");
    }
}

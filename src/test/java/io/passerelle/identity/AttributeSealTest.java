package io.passerelle.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Verified attributes travel sealed inside the sign-in: nothing readable, nothing alterable. */
class AttributeSealTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    private final AttributeSeal seal = new AttributeSeal(KEY);

    @Test
    void roundTripWithoutTheNumberInClear() {
        String sealed = seal.seal(Map.of("national_number", "85073003328", "given_name", "Anna"));
        assertThat(sealed).startsWith("v1.").doesNotContain("85073003328").doesNotContain("Anna");
        assertThat(seal.open(sealed)).containsEntry("national_number", "85073003328").containsEntry("given_name", "Anna");
        assertThat(seal.seal(Map.of("a", "b"))).as("a fresh IV each time").isNotEqualTo(seal.seal(Map.of("a", "b")));
    }

    @Test
    void alteredOrForeignOrUnsealedAttributesAreRefused() {
        String sealed = seal.seal(Map.of("national_number", "85073003328"));
        char last = sealed.charAt(sealed.length() - 2);
        String altered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A') + sealed.charAt(sealed.length() - 1);
        assertThatThrownBy(() -> seal.open(altered)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new AttributeSeal("fedcba9876543210fedcba9876543210".getBytes()).open(sealed))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> seal.open("{\"national_number\":\"85073003328\"}")).isInstanceOf(IllegalStateException.class);
        assertThat(seal.open("{}")).isEmpty();
    }

    @Test
    void aSignInCarriesItsAttributesSealed() {
        CitizenAuthentication citizen = CitizenAuthentication.of("c-1", "eid", "http://eidas.europa.eu/LoA/high",
                List.of("hwk"), Instant.now(), Map.of("national_number", "85073003328"), seal);
        assertThat(citizen.claims(seal)).containsEntry("national_number", "85073003328");
        assertThat(citizen.toString()).doesNotContain("85073003328");
    }
}

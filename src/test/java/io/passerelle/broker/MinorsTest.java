package io.passerelle.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Map;

import io.passerelle.connector.eid.NationalNumber;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ages from a verified birth date: the minors policy and the age claims, at the edges of a birthday. */
class MinorsTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 6);

    @ParameterizedTest(name = "born {0}: minor {1}, over 12 {2}, over 16 {3}, over 18 {4}")
    @CsvSource({
            "2008-12-06, false, true, true, true",    // 18 today
            "2008-12-07, true, true, true, false",    // 18 tomorrow
            "2010-12-06, true, true, true, false",    // 16 today
            "2014-12-07, true, false, false, false",  // 12 tomorrow
            "2018-11-26, true, false, false, false",  // the demo Kids-ID holder, aged 8
            "1985-07-30, false, true, true, true",
    })
    void ageClaimsAndMinority(String born, boolean minor, boolean over12, boolean over16, boolean over18) {
        Map<String, Object> verified = Map.of("birthdate", born);
        assertThat(Minors.minor(verified, TODAY)).isEqualTo(minor);
        assertThat(Minors.withAgeClaims(verified, TODAY)).containsEntry("age_over_12", over12)
                .containsEntry("age_over_16", over16).containsEntry("age_over_18", over18).containsEntry("birthdate", born);
    }

    @ParameterizedTest
    @CsvSource({"1985", "0000-07-30", "not a date", "2027-01-01"})
    void noAgeFromAPartialOrFutureDateAndUpstreamAgeClaimsAreDropped(String born) {
        Map<String, Object> verified = Map.of("birthdate", born, "age_over_18", true);
        assertThat(Minors.minor(verified, TODAY)).isFalse();
        assertThat(Minors.withAgeClaims(verified, TODAY)).doesNotContainKeys("age_over_12", "age_over_16", "age_over_18");
    }

    @Test
    void aKidsIdIsAMinorsCardWhateverTheDate() {
        assertThat(Minors.minor(Map.of("eid_card_type", "kids"), TODAY)).isTrue();
        assertThat(Minors.minor(Map.of("eid_card_type", "citizen"), TODAY)).as("age unknown").isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "850730033, false, 1985-07-30",
            "030615124, true, 2003-06-15",
            "852730033, false, 1985-07-30",  // BIS number: month + 20
            "854730033, false, 1985-07-30",  // BIS number: month + 40
    })
    void theNationalNumberGivesTheBirthDate(String nine, boolean from2000, String born) {
        assertThat(NationalNumber.birthDate(NationalNumber.withCheckDigits(nine, from2000))).hasValue(LocalDate.parse(born));
    }

    @Test
    void anUnknownBirthDateIsNoBirthDate() {
        assertThat(NationalNumber.birthDate(NationalNumber.withCheckDigits("850000033", false))).isEmpty();
        assertThat(NationalNumber.birthDate("85073003329")).as("bad check digits").isEmpty();
    }
}

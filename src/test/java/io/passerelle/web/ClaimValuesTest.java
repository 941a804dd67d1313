package io.passerelle.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.context.support.ResourceBundleMessageSource;

class ClaimValuesTest {

    private final ClaimValues values = new ClaimValues(messages());

    private static ResourceBundleMessageSource messages() {
        ResourceBundleMessageSource source = new ResourceBundleMessageSource();
        source.setBasename("messages");
        source.setDefaultEncoding("UTF-8");
        source.setFallbackToSystemLocale(false);
        return source;
    }

    @Test
    void gendersOidcNamesAreWordsOfThePageLanguage() {
        assertThat(values.display("gender", "female", Locale.FRENCH)).isEqualTo("Femme");
        assertThat(values.display("gender", "male", Locale.GERMAN)).isEqualTo("Männlich");
        assertThat(values.display("gender", "female", Locale.forLanguageTag("nl"))).isEqualTo("Vrouw");
        assertThat(values.display("gender", "female", Locale.ENGLISH)).isEqualTo("Female");
    }

    @Test
    void anyOtherGenderIsShownAsReceived() {
        assertThat(values.display("gender", "x", Locale.FRENCH)).isEqualTo("x");
    }

    @Test
    void aFullBirthdateUsesTheLocalDateFormatAndPartialOnesStayAsReceived() {
        assertThat(values.display("birthdate", "1985-07-30", Locale.FRENCH)).isEqualTo("30 juillet 1985");
        assertThat(values.display("birthdate", "1985-07-30", Locale.forLanguageTag("nl"))).isEqualTo("30 juli 1985");
        assertThat(values.display("birthdate", "0000-07-30", Locale.FRENCH)).isEqualTo("0000-07-30");
        assertThat(values.display("birthdate", "1985", Locale.FRENCH)).isEqualTo("1985");
    }

    @Test
    void aLocaleIsNamedInThePageLanguageWithItsTag() {
        assertThat(values.display("locale", "nl-BE", Locale.FRENCH)).isEqualTo("néerlandais (Belgique) (nl-BE)");
        assertThat(values.display("locale", "", Locale.FRENCH)).isEmpty();
    }

    @Test
    void anAddressIsOneLineAndOtherClaimsAreAsReceived() {
        assertThat(values.display("address", Map.of("formatted", "Rue de la Loi 16\n1000 Bruxelles"), Locale.FRENCH))
                .isEqualTo("Rue de la Loi 16,1000 Bruxelles");
        assertThat(values.display("given_name", "Anna", Locale.FRENCH)).isEqualTo("Anna");
        assertThat(values.display("email", null, Locale.FRENCH)).isEmpty();
    }
}

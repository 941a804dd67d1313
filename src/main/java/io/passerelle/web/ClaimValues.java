package io.passerelle.web;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.context.MessageSource;

/**
 * A claim's value as the citizen reads it on the consent page, in the page's language: the values
 * OIDC Core 5.1 defines (gender {@code female}/{@code male}, a full {@code birthdate}, a BCP 47
 * {@code locale}) in words and the local date format, an address on one line. Anything else, and any
 * value outside those forms (OIDC allows other genders and partial dates), is shown exactly as received:
 * the citizen must see what the portal will get, never a guess.
 */
final class ClaimValues {

    private final MessageSource messages;

    ClaimValues(MessageSource messages) {
        this.messages = messages;
    }

    String display(String claim, Object value, Locale locale) {
        if (value == null) {
            return "";
        }
        if (value instanceof Map<?, ?> address) {
            return address(address);
        }
        String text = value.toString();
        return switch (claim) {
            case "gender" -> messages.getMessage("value.gender." + text, null, text, locale);
            case "birthdate" -> date(text, locale);
            case "locale" -> language(text, locale);
            case "age_over_12", "age_over_16", "age_over_18" -> messages.getMessage("value.yes-no." + text, null, text, locale);
            default -> text;
        };
    }

    private static String date(String text, Locale locale) {
        try {
            LocalDate date = LocalDate.parse(text); // YYYY-MM-DD only; 0000-MM-DD and YYYY stay as they are
            return date.getYear() == 0 ? text : DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale).format(date);
        } catch (DateTimeParseException notAFullDate) {
            return text;
        }
    }

    private static String language(String text, Locale locale) {
        Locale tag = Locale.forLanguageTag(text.replace('_', '-'));
        return tag.getLanguage().isEmpty() ? text : tag.getDisplayName(locale) + " (" + text + ")";
    }

    private static String address(Map<?, ?> address) {
        Object formatted = address.get("formatted");
        if (formatted != null) {
            return formatted.toString().replace('\n', ',');
        }
        List<String> parts = new ArrayList<>();
        for (String part : List.of("street_address", "postal_code", "locality", "region", "country")) {
            if (address.get(part) != null) {
                parts.add(address.get(part).toString());
            }
        }
        return String.join(", ", parts);
    }
}

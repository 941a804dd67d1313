package io.passerelle.broker;

import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Age from the verified attributes of a sign-in: the portals' {@code minors} policy and the {@code age_over_12},
 * {@code age_over_16} and {@code age_over_18} claims, so that a portal can check an age without receiving the birth
 * date. Both come only from a full verified {@code birthdate} (an eID card's from the national number, a mobile-ID
 * provider's from its ID token); a Kids-ID is always a minor. Derived at sign-in: the claims say the age on the day
 * of the sign-in.
 */
public final class Minors {

    static final List<Integer> AGE_CLAIMS = List.of(12, 16, 18);
    private static final int ADULT = 18;

    /** Ages change at midnight where the citizens live. */
    public static final java.time.ZoneId BELGIUM = java.time.ZoneId.of("Europe/Brussels");

    private Minors() {
    }

    /** Age in whole years on {@code today}, when a full birth date was verified. */
    static Optional<Integer> age(Map<String, Object> verified, LocalDate today) {
        if (!(verified.get("birthdate") instanceof String text)) {
            return Optional.empty();
        }
        try {
            LocalDate born = LocalDate.parse(text);
            // Year 0000: OIDC Core 5.1's "year omitted".
            return born.getYear() == 0 || born.isAfter(today) ? Optional.empty()
                    : Optional.of(Period.between(born, today).getYears());
        } catch (DateTimeParseException partialOrOther) {
            return Optional.empty(); // OIDC allows YYYY or 0000-MM-DD: no age is claimed from a guess
        }
    }

    /** A Kids-ID, or a verified birth date less than 18 years ago. An unknown age is not a minor's. */
    public static boolean minor(Map<String, Object> verified, LocalDate today) {
        return "kids".equals(verified.get("eid_card_type")) || age(verified, today).map(a -> a < ADULT).orElse(false);
    }

    /** The attributes with the age claims added (none when the age is unknown); upstream's own are never kept. */
    static Map<String, Object> withAgeClaims(Map<String, Object> verified, LocalDate today) {
        Map<String, Object> attributes = new LinkedHashMap<>(verified);
        AGE_CLAIMS.forEach(years -> attributes.remove("age_over_" + years));
        age(verified, today).ifPresent(age -> AGE_CLAIMS.forEach(years -> attributes.put("age_over_" + years, age >= years)));
        return attributes;
    }
}

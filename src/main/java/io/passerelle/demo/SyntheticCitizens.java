package io.passerelle.demo;

import java.util.List;
import java.util.Optional;

/**
 * DEMO ONLY: invented people for the demo mobile-ID provider. Their national numbers are made up but
 * well-formed (11 digits, mod-97 check, the 2000+ rule for Lotte), so they pass the same checks as
 * real ones; none belongs to a real person on purpose (birth dates and serials are synthetic).
 */
public final class SyntheticCitizens {

    /** One synthetic citizen as the demo provider releases them. */
    public record Citizen(String id, String givenName, String familyName, String birthdate, String gender,
                          String nationalNumber, String locale) {
    }

    public static final List<Citizen> ALL = List.of(
            new Citizen("demo-anna", "Anna", "Peeters", "1985-07-30", "female", nn("850730", "034"), "nl"),
            new Citizen("demo-luc", "Luc", "Dubois", "1972-02-14", "male", nn("720214", "151"), "fr"),
            new Citizen("demo-lotte", "Lotte", "Schmitz", "2003-11-05", "female", nn("031105", "288"), "de"),
            new Citizen("demo-sam", "Sam", "Janssens", "1990-01-01", "male", nn("900101", "477"), "en"));

    private SyntheticCitizens() {
    }

    public static Optional<Citizen> find(String id) {
        return ALL.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** Builds a well-formed national number: birth date YYMMDD, serial, mod-97 check digits. */
    static String nn(String yymmdd, String serial) {
        String base = yymmdd + serial;
        boolean bornFrom2000 = Integer.parseInt(yymmdd.substring(0, 2)) < 25;
        long value = Long.parseLong((bornFrom2000 ? "2" : "") + base);
        long check = 97 - (value % 97);
        return base + String.format("%02d", check);
    }
}

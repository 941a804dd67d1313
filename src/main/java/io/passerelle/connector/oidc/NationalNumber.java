package io.passerelle.connector.oidc;

import java.util.regex.Pattern;

/**
 * The Belgian national register number (rijksregisternummer / numéro de registre national): 11 digits,
 * YYMMDD (birth date, with month or day shifted for some registrations), a 3-digit sequence and 2 check
 * digits. The check digits are 97 minus the first 9 digits modulo 97; for people born from 2000 on, the
 * first 9 digits are prefixed with 2 before the modulo. The year is not in the number, so a value is
 * valid when either rule holds.
 */
final class NationalNumber {

    private static final Pattern ELEVEN_DIGITS = Pattern.compile("[0-9]{11}");

    private NationalNumber() {
    }

    static boolean isValid(Object value) {
        if (!(value instanceof String text) || !ELEVEN_DIGITS.matcher(text).matches()) {
            return false;
        }
        long base = Long.parseLong(text.substring(0, 9));
        int check = Integer.parseInt(text.substring(9));
        return check == 97 - (int) (base % 97) || check == 97 - (int) ((2_000_000_000L + base) % 97);
    }
}

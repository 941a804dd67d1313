package io.passerelle.connector.eid;

import java.util.regex.Pattern;

/**
 * The Belgian national register number carried as the certificate subject's {@code serialNumber}: 11 digits
 * YYMMDDxxxcd, where cd = 97 - (first 9 digits mod 97). For people born from 2000 on, the 9 digits are
 * prefixed with "2" before the modulo. The century is not in the number, so a value is valid when either rule
 * holds (domain facts 2.1.6).
 */
public final class NationalNumber {

    private static final Pattern ELEVEN_DIGITS = Pattern.compile("[0-9]{11}");

    private NationalNumber() {
    }

    public static boolean isValid(String text) {
        if (text == null || !ELEVEN_DIGITS.matcher(text).matches()) {
            return false;
        }
        long base = Long.parseLong(text.substring(0, 9));
        int check = Integer.parseInt(text.substring(9));
        return check == 97 - (int) (base % 97) || check == 97 - (int) ((2_000_000_000L + base) % 97);
    }

    /**
     * The birth date the number encodes (domain facts 2.1.6): YYMMDD, the century told by which check rule holds
     * (a "2" prefix for people born from 2000 on). A BIS number adds 20 or 40 to the month. Empty when the number
     * is not valid or the date is not known (month or day 00, as for a person whose birth date is unknown).
     */
    public static java.util.Optional<java.time.LocalDate> birthDate(String text) {
        if (!isValid(text)) {
            return java.util.Optional.empty();
        }
        long base = Long.parseLong(text.substring(0, 9));
        boolean from2000 = Integer.parseInt(text.substring(9)) != 97 - (int) (base % 97);
        int year = (from2000 ? 2000 : 1900) + Integer.parseInt(text.substring(0, 2));
        int month = Integer.parseInt(text.substring(2, 4));
        month = month > 40 ? month - 40 : month > 20 ? month - 20 : month;
        try {
            return java.util.Optional.of(java.time.LocalDate.of(year, month, Integer.parseInt(text.substring(4, 6))));
        } catch (java.time.DateTimeException unknownDate) {
            return java.util.Optional.empty();
        }
    }

    /** Appends the check digits to 9 digits (born before 2000 when {@code from2000} is false); for demo cards. */
    public static String withCheckDigits(String nineDigits, boolean from2000) {
        long base = Long.parseLong(nineDigits) + (from2000 ? 2_000_000_000L : 0);
        return nineDigits + String.format("%02d", 97 - (int) (base % 97));
    }
}

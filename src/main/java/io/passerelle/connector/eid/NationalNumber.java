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

    /** Appends the check digits to 9 digits (born before 2000 when {@code from2000} is false); for demo cards. */
    public static String withCheckDigits(String nineDigits, boolean from2000) {
        long base = Long.parseLong(nineDigits) + (from2000 ? 2_000_000_000L : 0);
        return nineDigits + String.format("%02d", 97 - (int) (base % 97));
    }
}

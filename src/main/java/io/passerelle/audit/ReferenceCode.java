package io.passerelle.audit;

import java.security.SecureRandom;

/**
 * The reference code a citizen reads on an error page and a helpdesk finds in the audit trail and the
 * log: "PSL-" and eight characters without look-alikes (no 0/O, 1/I/L), easy to read out on the phone.
 */
public final class ReferenceCode {

    private static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ReferenceCode() {
    }

    /** True for a code this class makes: what a helpdesk may look up, and nothing else. */
    public static boolean isWellFormed(String code) {
        if (code == null || code.length() != 12 || !code.startsWith("PSL-")) {
            return false;
        }
        return code.substring(4).chars().allMatch(c -> ALPHABET.indexOf(c) >= 0);
    }

    public static String next() {
        StringBuilder sb = new StringBuilder("PSL-");
        for (int i = 0; i < 8; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}

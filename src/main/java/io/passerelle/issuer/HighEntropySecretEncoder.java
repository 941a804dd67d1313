package io.passerelle.issuer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Stores portal client secrets as salted SHA-256. Slow password hashing protects low-entropy human
 * passwords against guessing; portal secrets are required to be at least 32 random characters (see
 * PortalConfigLoader), which no guessing can reach, so stretching would only cost every token request
 * CPU time (a PBKDF2 at 1000 rounds took about 0.6 ms per request). A database reader still learns no
 * usable secret, and comparison is constant-time.
 */
public final class HighEntropySecretEncoder implements PasswordEncoder {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    @Override
    public String encode(CharSequence raw) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return B64.encodeToString(salt) + "$" + B64.encodeToString(digest(salt, raw));
    }

    @Override
    public boolean matches(CharSequence raw, String encoded) {
        if (raw == null || encoded == null) {
            return false;
        }
        int dollar = encoded.indexOf('$');
        if (dollar <= 0) {
            return false;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(encoded.substring(0, dollar));
            byte[] expected = Base64.getDecoder().decode(encoded.substring(dollar + 1));
            return MessageDigest.isEqual(expected, digest(salt, raw));
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private static byte[] digest(byte[] salt, CharSequence raw) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return sha.digest(raw.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}

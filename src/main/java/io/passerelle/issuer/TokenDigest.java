package io.passerelle.issuer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a token value (ASCII: codes, refresh tokens, JWTs), in hex: how the issuer keeps a token it
 * must recognise but need not be able to use (retired refresh tokens, redeemed codes, issued ID tokens).
 */
final class TokenDigest {

    private TokenDigest() {
    }

    static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}

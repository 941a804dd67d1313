package io.passerelle.identity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Seals a citizen's verified attributes (national number, name, address...) inside the sign-in that
 * the session and every stored authorization carry: AES-256-GCM under a key derived from the master
 * key. The authorization table and session store then hold no national number in clear, although
 * tokens for a portal's grant are minted from it for as long as the grant lives.
 */
public final class AttributeSeal {

    private static final String PREFIX = "v1.";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public AttributeSeal(byte[] key) {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("the attribute seal needs a 256-bit key");
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    public String seal(Map<String, Object> attributes) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(JSONObjectUtils.toJSONString(attributes).getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java platform", e);
        }
    }

    /** The attributes; fails when the text was not sealed with this key or was altered. */
    public Map<String, Object> open(String sealed) {
        if ("{}".equals(sealed)) {
            return Map.of(); // a sign-in without attributes is stored as it is: there is nothing to hide
        }
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new IllegalStateException("citizen attributes are not sealed");
        }
        try {
            byte[] raw = Base64.getUrlDecoder().decode(sealed.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, IV_BYTES));
            byte[] json = cipher.doFinal(raw, IV_BYTES, raw.length - IV_BYTES);
            return JSONObjectUtils.parse(new String(json, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException | ParseException e) {
            throw new IllegalStateException("citizen attributes cannot be opened with this key (altered, or another master key)", e);
        }
    }
}

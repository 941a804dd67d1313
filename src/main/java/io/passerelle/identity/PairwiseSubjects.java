package io.passerelle.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The subject a portal sees (OIDC Core 8): pairwise per sector by default, so that portals of different
 * sectors cannot correlate a citizen by {@code sub}; the same for every portal of one sector, stable
 * across keys, restarts and nodes (a keyed hash of sector and citizen, never the national number or an
 * upstream subject); the internal citizen id only for a portal configured {@code subject_type: public}.
 */
public final class PairwiseSubjects {

    private final byte[] key;

    public PairwiseSubjects(byte[] key) {
        if (key == null || key.length < 32) {
            throw new IllegalArgumentException("the pairwise subject key must have at least 256 bits");
        }
        this.key = key.clone();
    }

    public String subjectFor(String sector, String citizenId, boolean pairwise) {
        if (!pairwise) {
            return citizenId;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(sector.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(citizenId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java platform", e);
        }
    }
}

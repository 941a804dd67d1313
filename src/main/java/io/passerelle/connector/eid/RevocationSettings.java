package io.passerelle.connector.eid;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How revocation is established (domain facts 2.1.4).
 *
 * @param allowedUrlPrefixes      OCSP and CRL URLs are fetched only when they start with one of these (never an
 *                                arbitrary URL from a certificate: that would let a forged card make Passerelle
 *                                call any internal address)
 * @param defaultOcspUrl          the responder asked when the certificate names none (may be null); it must
 *                                itself be allowed
 * @param connectTimeout          per outbound call
 * @param readTimeout             per outbound call, for the whole answer
 * @param nonceRequired           an OCSP answer without our nonce is refused (a present but different nonce is
 *                                always refused)
 * @param clockSkew               tolerance on thisUpdate / nextUpdate
 * @param maxAgeWithoutNextUpdate an answer without nextUpdate is accepted only this long after thisUpdate,
 *                                and not cached
 * @param cacheSize               the most answers kept (least recently used are dropped)
 * @param maxCrlBytes             a bigger CRL is refused rather than read into memory
 */
public record RevocationSettings(List<String> allowedUrlPrefixes, URI defaultOcspUrl, Duration connectTimeout,
                                 Duration readTimeout, boolean nonceRequired, Duration clockSkew,
                                 Duration maxAgeWithoutNextUpdate, int cacheSize, long maxCrlBytes) {

    public RevocationSettings {
        allowedUrlPrefixes = List.copyOf(allowedUrlPrefixes);
    }

    public static RevocationSettings defaults(List<String> allowedUrlPrefixes) {
        return new RevocationSettings(allowedUrlPrefixes, null, Duration.ofSeconds(2), Duration.ofSeconds(3), true,
                Duration.ofMinutes(2), Duration.ofMinutes(10), 10_000, 64L * 1024 * 1024);
    }

    /** True when the URL may be fetched: http(s) only, and under a configured prefix. */
    public boolean allowed(URI url) {
        if (url == null || url.getScheme() == null || url.getRawUserInfo() != null) {
            return false;
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return false;
        }
        URI normal = url.normalize();
        String path = normal.getRawPath() == null ? "" : normal.getRawPath();
        if (path.contains("/../") || path.endsWith("/..")) {
            // A dot segment that normalisation cannot remove would climb out of an allowed folder.
            return false;
        }
        String text = normal.toString();
        return allowedUrlPrefixes.stream().anyMatch(text::startsWith);
    }
}

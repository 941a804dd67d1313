package io.passerelle.connector.eid;

import java.io.IOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;

/**
 * Establishes that a card certificate is not revoked: OCSP first (the certificate's own responder when it is
 * allow-listed, else the configured default), the CRL as fallback when OCSP gives no definitive answer, and a
 * bounded cache of answers until their nextUpdate. When neither gives an answer the check fails closed:
 * {@code UNAVAILABLE} when the sources could not be reached, {@code INVALID_RESPONSE} when an answer was
 * forged, stale or malformed. The issuing CAs themselves are checked against their issuer's CRL
 * ({@link #checkIssuingCa}).
 */
public final class RevocationChecker {

    public static final String NOT_REVOKED = "EidCertificateNotRevoked";
    public static final String STATUS_KNOWN = "EidRevocationStatusKnown";
    public static final String CA_NOT_REVOKED = "EidIssuingCaNotRevoked";

    private static final Logger log = LoggerFactory.getLogger(RevocationChecker.class);
    private static final int CRLS_KEPT = 16;

    private final RevocationSettings settings;
    private final RevocationFetcher fetcher;
    private final Clock clock;
    private final RevocationCache cache;
    private final Map<String, CrlCheck.VerifiedCrl> crls = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CrlCheck.VerifiedCrl> eldest) {
            return size() > CRLS_KEPT;
        }
    };

    public RevocationChecker(RevocationSettings settings, Clock clock) {
        this.settings = settings;
        this.fetcher = new RevocationFetcher(settings);
        this.clock = clock;
        this.cache = new RevocationCache(settings.cacheSize());
    }

    /** Returns normally only when the certificate is known not to be revoked. */
    public void check(X509Certificate certificate, X509Certificate issuer) {
        Instant now = clock.instant();
        String key = key(issuer, certificate);
        RevocationCache.Entry cached = cache.find(key, now);
        if (cached != null) {
            apply(cached.status(), cached.source());
            return;
        }
        List<ConnectorException> failures = new ArrayList<>();
        URI responder = ocspUrl(certificate);
        if (responder != null) {
            OcspCheck.Answer answer = null;
            try {
                answer = OcspCheck.check(certificate, issuer, responder, fetcher, settings, now);
            } catch (ConnectorException e) {
                failures.add(e);
            }
            if (answer != null && answer.status() != RevocationStatus.UNKNOWN) {
                // A verified good or revoked is final: the CRL is not asked to overrule it.
                remember(key, answer.status(), answer.cacheUntil(), "ocsp");
                apply(answer.status(), "ocsp");
                return;
            }
            if (answer != null) {
                failures.add(new ConnectorException(Kind.INVALID_RESPONSE, STATUS_KNOWN, "OCSP status unknown"));
            }
        }
        RevocationStatus status = fromCrls(certificate, issuer, now, key, failures);
        if (status == null) {
            throw undetermined(failures);
        }
        apply(status, "crl");
    }

    /**
     * EidIssuingCaNotRevoked (RFC 5280 6.1.3 (a)(3), 6.3): an issuing CA (Citizen CA, Foreigner CA) is checked
     * against its issuer's CRL, the root's authority revocation list, fetched only from the CA certificate's
     * allow-listed distribution points and kept until its nextUpdate. A revoked CA revokes every card under it
     * even when the CA's own OCSP responder still answers "good"; no allow-listed ARL, or none usable, fails
     * closed like a card without revocation status.
     */
    public void checkIssuingCa(X509Certificate ca, X509Certificate issuer) {
        Instant now = clock.instant();
        String key = "ca:" + key(issuer, ca);
        RevocationCache.Entry cached = cache.find(key, now);
        RevocationStatus status = cached != null ? cached.status() : null;
        List<ConnectorException> failures = new ArrayList<>();
        if (status == null) {
            status = fromCrls(ca, issuer, now, key, failures);
        }
        if (status == null) {
            ConnectorException cause = undetermined(failures);
            throw new ConnectorException(cause.kind(), cause.check(), "issuing CA: " + cause.getMessage(), cause);
        }
        if (status == RevocationStatus.REVOKED) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, CA_NOT_REVOKED, "the issuing CA certificate is revoked");
        }
    }

    /** The first definitive CRL answer for the certificate, remembered until nextUpdate; null when none. */
    private RevocationStatus fromCrls(X509Certificate certificate, X509Certificate issuer, Instant now, String key,
                                      List<ConnectorException> failures) {
        for (URI url : crlUrls(certificate)) {
            try {
                CrlCheck.VerifiedCrl crl = crl(url, issuer, now);
                RevocationStatus status = crl.status(certificate);
                remember(key, status, crl.cacheUntil(), "crl");
                return status;
            } catch (ConnectorException e) {
                failures.add(e);
            }
        }
        return null;
    }

    int cachedAnswers() {
        return cache.size();
    }

    private void remember(String key, RevocationStatus status, Instant until, String source) {
        if (until != null) {
            cache.put(key, new RevocationCache.Entry(status, until, source));
        }
    }

    private static void apply(RevocationStatus status, String source) {
        if (status == RevocationStatus.REVOKED) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, NOT_REVOKED, "certificate is revoked (" + source + ")");
        }
        if (status != RevocationStatus.GOOD) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, STATUS_KNOWN, "revocation status unknown (" + source + ")");
        }
    }

    private CrlCheck.VerifiedCrl crl(URI url, X509Certificate issuer, Instant now) {
        String key = url + "|" + keyHash(issuer);
        synchronized (crls) {
            CrlCheck.VerifiedCrl known = crls.get(key);
            if (known != null && known.cacheUntil() != null && now.isBefore(known.cacheUntil())) {
                return known;
            }
        }
        // Fetched outside the lock: a slow CRL server must not block logins answered from the cache.
        CrlCheck.VerifiedCrl fresh = CrlCheck.verify(fetcher.getCrl(url, CrlCheck.FETCH), url, issuer, settings, now);
        if (fresh.cacheUntil() != null) {
            synchronized (crls) {
                crls.put(key, fresh);
            }
        }
        return fresh;
    }

    private static ConnectorException undetermined(List<ConnectorException> failures) {
        if (failures.isEmpty()) {
            return new ConnectorException(Kind.UNAVAILABLE, STATUS_KNOWN,
                    "no allow-listed OCSP responder or CRL for this certificate");
        }
        ConnectorException decisive = failures.stream().filter(f -> f.kind() == Kind.INVALID_RESPONSE).findFirst()
                .orElse(failures.get(0));
        String all = String.join("; ", failures.stream().map(f -> f.check() + ": " + f.getMessage()).toList());
        Kind kind = decisive.kind() == Kind.INVALID_RESPONSE ? Kind.INVALID_RESPONSE : Kind.UNAVAILABLE;
        return new ConnectorException(kind, decisive.check(), "revocation status not established: " + all, decisive);
    }

    /** The certificate's first allow-listed OCSP responder (AIA, RFC 5280 4.2.2.1), else the configured default. */
    URI ocspUrl(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (value != null) {
            try {
                AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(
                        JcaX509ExtensionUtils.parseExtensionValue(value));
                for (AccessDescription description : aia.getAccessDescriptions()) {
                    if (description.getAccessMethod().equals(AccessDescription.id_ad_ocsp)) {
                        URI url = uri(description.getAccessLocation());
                        if (url != null && settings.allowed(url)) {
                            return url;
                        }
                        log.warn("OCSP URL {} of a card certificate is not allow-listed; not fetched", url);
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                log.warn("malformed authority information access in a card certificate");
            }
        }
        return settings.defaultOcspUrl() != null && settings.allowed(settings.defaultOcspUrl())
                ? settings.defaultOcspUrl() : null;
    }

    /** The certificate's allow-listed CRL distribution points (RFC 5280 4.2.1.13). */
    List<URI> crlUrls(X509Certificate certificate) {
        List<URI> urls = new ArrayList<>();
        try {
            for (List<GeneralName> names : CrlScope.distributionPoints(certificate)) {
                for (GeneralName general : names) {
                    URI url = uri(general);
                    if (url != null && settings.allowed(url)) {
                        urls.add(url);
                    } else if (url != null) {
                        log.warn("CRL URL {} of an eID certificate is not allow-listed; not fetched", url);
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            log.warn("malformed CRL distribution points in an eID certificate");
        }
        return urls.stream().limit(3).toList();
    }

    private static URI uri(GeneralName name) {
        if (name.getTagNo() != GeneralName.uniformResourceIdentifier) {
            return null;
        }
        try {
            return URI.create(ASN1IA5String.getInstance(name.getName()).getString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String key(X509Certificate issuer, X509Certificate certificate) {
        return keyHash(issuer) + ":" + certificate.getSerialNumber().toString(16);
    }

    private static String keyHash(X509Certificate issuer) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(issuer.getPublicKey().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

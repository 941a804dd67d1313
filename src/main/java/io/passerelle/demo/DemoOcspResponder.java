package io.passerelle.demo;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/**
 * DEMO ONLY, and only with {@code passerelle.demo.enabled: true}: an OCSP responder (RFC 6960) for the demo eID
 * PKI that {@link DemoPki} writes to the demo PKI folder (passerelle.demo.eid-pki-dir), so that a demo card imported into a browser can sign in on
 * localhost (the eID connector fails closed without a revocation answer). It answers good / revoked (the serials
 * in revoked-serials.txt) / unknown (a serial the demo CAs never issued), signed by the delegated responder of
 * the card's CA, with the request's nonce echoed and a one-hour validity. Requests about another CA get
 * {@code unauthorized}, undecodable ones {@code malformedRequest}, and while the folder holds no demo PKI
 * every request gets {@code tryLater}: OCSP errors are OCSP answers (HTTP 200), never a stack trace.
 */
@RestController
@ConditionalOnProperty(name = "passerelle.demo.enabled", havingValue = "true")
@RequestMapping(DemoOcspResponder.PATH)
public final class DemoOcspResponder {

    static final String PATH = "/demo/eid/ocsp";
    static final MediaType OCSP_RESPONSE = MediaType.parseMediaType("application/ocsp-response");
    /** How long an answer is valid (nextUpdate), and so how long the connector caches it. */
    static final Duration VALIDITY = Duration.ofHours(1);
    /** A real request is a few hundred bytes; anything this big is not a request for one card. */
    static final int MAX_REQUEST_BYTES = 16 * 1024;
    /** RFC 8954 2.1: a nonce is 1 to 32 octets. */
    static final int MAX_NONCE_BYTES = 32;
    private static final int MAX_CERTIFICATES_PER_REQUEST = 10;
    /** After a failed load: no retry before this, so a missing demo PKI is not re-read on every request. */
    private static final Duration RETRY_LOAD_AFTER = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(DemoOcspResponder.class);

    private final Path pkiDir;
    private final Clock clock;
    private volatile DemoPkiFiles material;
    private Instant retryLoadAt = Instant.MIN;
    private boolean explained;

    public DemoOcspResponder(@Value("${passerelle.demo.eid-pki-dir}") Path pkiDir, Clock clock) {
        this.pkiDir = pkiDir;
        this.clock = clock;
    }

    /** RFC 6960 A.1.1: the DER request as the body. The content type is not insisted on (curl users forget it). */
    @PostMapping
    public ResponseEntity<byte[]> post(InputStream body) throws IOException {
        byte[] request = body.readNBytes(MAX_REQUEST_BYTES + 1);
        return ok(request.length > MAX_REQUEST_BYTES ? status(OCSPRespBuilder.MALFORMED_REQUEST) : answer(request));
    }

    /**
     * RFC 6960 A.1.1: GET {@code /demo/eid/ocsp/<url-encoded base64 of the DER request>}. Base64url is accepted too:
     * Tomcat and Spring Security's firewall refuse a "%2F" or "//" in a path, which standard base64 may need.
     */
    @GetMapping("/**")
    public ResponseEntity<byte[]> get(HttpServletRequest http) {
        String raw = http.getRequestURI().substring(Math.min(http.getRequestURI().length(),
                http.getContextPath().length() + PATH.length()));
        raw = raw.startsWith("/") ? raw.substring(1) : raw;
        if (raw.isEmpty() || raw.length() > MAX_REQUEST_BYTES * 2) {
            return ok(status(OCSPRespBuilder.MALFORMED_REQUEST));
        }
        byte[] request;
        try {
            String text = UriUtils.decode(raw, StandardCharsets.US_ASCII);
            request = text.indexOf('-') >= 0 || text.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(text)
                    : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return ok(status(OCSPRespBuilder.MALFORMED_REQUEST));
        }
        return ok(answer(request));
    }

    /** The DER OCSPResponse to a DER OCSPRequest; never throws for bad input. */
    byte[] answer(byte[] requestBytes) {
        DemoPkiFiles pki = material();
        if (pki == null) {
            return status(OCSPRespBuilder.TRY_LATER);
        }
        OCSPReq request;
        Req[] singles;
        try {
            request = new OCSPReq(requestBytes);
            singles = request.getRequestList();
        } catch (IOException | RuntimeException e) {
            return status(OCSPRespBuilder.MALFORMED_REQUEST);
        }
        Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (singles.length == 0 || singles.length > MAX_CERTIFICATES_PER_REQUEST || nonce != null && !validNonce(nonce)) {
            return status(OCSPRespBuilder.MALFORMED_REQUEST);
        }
        // One response has one signer, and a delegated responder speaks only for its own CA (RFC 6960 4.2.2.2).
        Authority authority = null;
        for (Req single : singles) {
            Authority issuer = pki.authorityFor(single.getCertID());
            if (issuer == null || authority != null && issuer != authority) {
                return status(OCSPRespBuilder.UNAUTHORIZED);
            }
            authority = issuer;
        }
        Instant now = clock.instant();
        try {
            BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(authority.responderId());
            for (Req single : singles) {
                builder.addResponse(single.getCertID(), certificateStatus(pki, single.getCertID().getSerialNumber()),
                        Date.from(now), Date.from(now.plus(VALIDITY)), null);
            }
            if (nonce != null) {
                // RFC 8954: the nonce comes back unchanged, so the client knows this answer is not a replay.
                builder.setResponseExtensions(new Extensions(new Extension(nonce.getExtnId(), false, nonce.getExtnValue())));
            }
            BasicOCSPResp basic = builder.build(new JcaContentSignerBuilder(signatureAlgorithm(authority))
                    .build(authority.responderKey()), new X509CertificateHolder[] {authority.responder()}, Date.from(now));
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
        } catch (OCSPException | OperatorCreationException | IOException | RuntimeException e) {
            log.error("DEMO eID OCSP responder: cannot sign an answer: {}", e.toString());
            return status(OCSPRespBuilder.INTERNAL_ERROR);
        }
    }

    private static CertificateStatus certificateStatus(DemoPkiFiles pki, BigInteger serial) {
        if (pki.revoked().contains(serial)) {
            return new RevokedStatus(Date.from(pki.revokedSince()), CRLReason.keyCompromise);
        }
        // "good" only for cards the demo CAs issued (when DemoPki listed them); a made-up serial is "unknown".
        return pki.issued() != null && !pki.issued().contains(serial) ? new UnknownStatus() : CertificateStatus.GOOD;
    }

    private static boolean validNonce(Extension nonce) {
        byte[] value = nonce.getExtnValue().getOctets();
        int length;
        try {
            length = ASN1OctetString.getInstance(value).getOctets().length;
        } catch (IllegalArgumentException e) {
            // Some clients put the raw nonce bytes in the extension; tolerated, and echoed as they came.
            length = value.length;
        }
        return length >= 1 && length <= MAX_NONCE_BYTES;
    }

    private static String signatureAlgorithm(Authority authority) {
        return authority.responderKey().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    }

    /** The demo PKI, read once; null while it cannot be read (then retried at most every ten seconds). */
    private DemoPkiFiles material() {
        DemoPkiFiles loaded = material;
        if (loaded != null) {
            return loaded;
        }
        synchronized (this) {
            Instant now = clock.instant();
            if (material != null || now.isBefore(retryLoadAt)) {
                return material;
            }
            try {
                material = DemoPkiFiles.load(pkiDir);
                log.info("DEMO eID OCSP responder: serving {} at {} for {}", pkiDir.toAbsolutePath(), PATH,
                        material.describe());
                material.warnings().forEach(w -> log.warn("DEMO eID OCSP responder: {}", w));
                return material;
            } catch (NotGenerated e) {
                retryLoadAt = now.plus(RETRY_LOAD_AFTER);
                if (!explained) {
                    explained = true;
                    log.warn("DEMO eID OCSP responder: {}; every demo card is answered 'tryLater' (and refused) until "
                            + "{} holds the demo PKI, which Passerelle generates at start while the demo is on "
                            + "(delete the folder and restart to generate it again)", e.getMessage(), pkiDir);
                }
                return null;
            }
        }
    }

    private static byte[] status(int status) {
        try {
            return new OCSPRespBuilder().build(status, null).getEncoded();
        } catch (OCSPException | IOException e) {
            throw new IllegalStateException("cannot encode an OCSP status", e);
        }
    }

    private static ResponseEntity<byte[]> ok(byte[] response) {
        // RFC 6960 A.1: OCSP-level errors are OCSP responses too, so HTTP says 200 whatever the OCSP status.
        return ResponseEntity.ok().contentType(OCSP_RESPONSE).header("Cache-Control", "no-store").body(response);
    }

    /**
     * The responder is called by the eID connector (a machine), not by a browser: no CSRF token, no session. Runs
     * before the demo chain ({@code /demo/**}, order -20), which would otherwise ask a CSRF token of the POST.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "passerelle.demo.enabled", havingValue = "true")
    static class Security {

        @Bean
        @Order(-21)
        SecurityFilterChain demoOcspChain(HttpSecurity http) {
            http.securityMatcher(PATH, PATH + "/**")
                    .authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll())
                    .csrf(csrf -> csrf.disable())
                    .requestCache(cache -> cache.disable())
                    .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
            return http.build();
        }
    }

    /** A CA of the demo PKI with its delegated OCSP responder (certificate, key and responder id). */
    record Authority(X509CertificateHolder ca, X509CertificateHolder responder, PrivateKey responderKey,
                     RespID responderId) {
    }

    /** The demo PKI has not been generated (or not completely): answered with tryLater. */
    static final class NotGenerated extends Exception {
        NotGenerated(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The files of the demo PKI the responder needs, parsed once: the issuing CAs, their responders
     * (ocsp-responder*.p12, password "demo"), revoked-serials.txt and, when present, issued-serials.txt.
     *
     * @param issued null when DemoPki did not list the issued serials (then every non-revoked serial is good)
     */
    record DemoPkiFiles(List<Authority> authorities, Set<BigInteger> revoked, Instant revokedSince,
                        Set<BigInteger> issued, List<String> warnings) {

        private static final char[] PASSWORD = "demo".toCharArray();
        private static final List<String> CA_FILES = List.of("citizen-ca.pem", "foreigner-ca.pem", "kids-ca.pem");
        private static final DigestCalculatorProvider DIGESTS;

        static {
            try {
                DIGESTS = new JcaDigestCalculatorProviderBuilder().build();
            } catch (OperatorCreationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        static DemoPkiFiles load(Path dir) throws NotGenerated {
            try {
                List<X509CertificateHolder> cas = new ArrayList<>();
                for (String file : CA_FILES) {
                    cas.add(new JcaX509CertificateHolder(certificate(dir.resolve(file))));
                }
                List<Authority> authorities = new ArrayList<>();
                List<String> warnings = new ArrayList<>();
                try (DirectoryStream<Path> stores = Files.newDirectoryStream(dir, "ocsp-responder*.p12")) {
                    for (Path store : stores) {
                        authority(store, cas).ifPresent(authorities::add);
                    }
                }
                for (X509CertificateHolder ca : cas) {
                    if (authorities.stream().noneMatch(a -> a.ca() == ca)) {
                        warnings.add("no OCSP responder for " + ca.getSubject() + " in " + dir
                                + ": its cards get 'unauthorized'; delete the folder and restart to generate it again");
                    }
                }
                if (authorities.isEmpty()) {
                    throw new NotGenerated(dir + " holds no ocsp-responder*.p12 issued by a demo CA");
                }
                Path revokedFile = dir.resolve("revoked-serials.txt");
                Set<BigInteger> revoked = serials(revokedFile);
                Path issuedFile = dir.resolve("issued-serials.txt");
                Set<BigInteger> issued = Files.exists(issuedFile) ? serials(issuedFile) : null;
                return new DemoPkiFiles(List.copyOf(authorities), revoked,
                        Files.getLastModifiedTime(revokedFile).toInstant(), issued, List.copyOf(warnings));
            } catch (NoSuchFileException e) {
                throw new NotGenerated(e.getFile() + " does not exist");
            } catch (IOException | GeneralSecurityException | OperatorCreationException | OCSPException
                     | RuntimeException e) {
                throw new NotGenerated(dir + " cannot be read (" + e.getMessage() + ")");
            }
        }

        /** The CA the request's CertID names (issuer name and key hashes, RFC 6960 4.1.1), or null. */
        Authority authorityFor(CertificateID id) {
            for (Authority authority : authorities) {
                try {
                    if (id.matchesIssuer(authority.ca(), DIGESTS)) {
                        return authority;
                    }
                } catch (OCSPException e) {
                    return null;  // a hash algorithm we do not know: no CA of ours is recognisably named
                }
            }
            return null;
        }

        String describe() {
            return authorities.stream().map(a -> a.ca().getSubject().toString()).toList() + ", " + revoked.size()
                    + " revoked serial(s)";
        }

        private static Optional<Authority> authority(Path store, List<X509CertificateHolder> cas)
                throws IOException, GeneralSecurityException, OperatorCreationException, OCSPException {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, PASSWORD);
            }
            for (String alias : Collections.list(keys.aliases())) {
                if (!keys.isKeyEntry(alias)) {
                    continue;
                }
                X509CertificateHolder responder = new JcaX509CertificateHolder((X509Certificate) keys.getCertificate(alias));
                for (X509CertificateHolder ca : cas) {
                    // Only a responder the CA itself certified may answer for its cards.
                    if (responder.getIssuer().equals(ca.getSubject()) && verifiedBy(responder, ca)) {
                        return Optional.of(new Authority(ca, responder, (PrivateKey) keys.getKey(alias, PASSWORD),
                                new RespID(responder.getSubjectPublicKeyInfo(), DIGESTS.get(CertificateID.HASH_SHA1))));
                    }
                }
            }
            return Optional.empty();
        }

        private static boolean verifiedBy(X509CertificateHolder certificate, X509CertificateHolder ca)
                throws OperatorCreationException {
            try {
                return certificate.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca));
            } catch (CertException | CertificateException e) {
                return false;
            }
        }

        private static X509Certificate certificate(Path file) throws IOException, CertificateException {
            try (InputStream in = Files.newInputStream(file)) {
                return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
        }

        /** One hexadecimal serial a line, as DemoPki writes them; blank lines and # comments are skipped. */
        private static Set<BigInteger> serials(Path file) throws IOException {
            Set<BigInteger> serials = new HashSet<>();
            for (String line : Files.readAllLines(file)) {
                String serial = line.strip();
                if (!serial.isEmpty() && !serial.startsWith("#")) {
                    serials.add(new BigInteger(serial, 16));
                }
            }
            return Set.copyOf(serials);
        }
    }
}

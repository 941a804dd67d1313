package io.passerelle.demo;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * DEMO ONLY, and only with {@code passerelle.demo.enabled: true}: the CRLs of the demo eID PKI that {@code DemoPki}
 * writes to the demo PKI folder, so that the demo connector has a CRL fallback when OCSP cannot answer, and a root ARL to
 * check the issuing CAs against: {@code GET /demo/eid/crl/citizen.crl}, {@code foreigner.crl} (scoped to end-entity
 * certificates) and {@code root.crl} (scoped to CA certificates: RFC 5280 5.2.5 onlyContainsCACerts). Each is
 * signed fresh by its CA (keys from the folder's *-ca.p12) with a one-hour nextUpdate and lists the serials of
 * revoked-serials.txt. Demo serials are random 64-bit numbers, so listing a revoked card on every demo CA's CRL
 * cannot revoke another CA's card by accident. While the folder holds no demo PKI: 503 (the connector then fails closed).
 */
@RestController
@ConditionalOnProperty(name = "passerelle.demo.enabled", havingValue = "true")
public final class DemoCrlPublisher {

    /** Where DemoPki's certificates say the CRLs are (io.passerelle.demo.DemoPki.CRL_PATH). */
    static final String PATH = "/demo/eid/crl";
    static final MediaType PKIX_CRL = MediaType.parseMediaType("application/pkix-crl");
    /** How long a CRL is current (nextUpdate), and so how long the connector caches it. */
    static final Duration VALIDITY = Duration.ofHours(1);
    /** The CRL name, its CA's key store, and whether it covers CA certificates (the ARL) or cards. */
    private static final Map<String, Scope> CRLS = Map.of("citizen", new Scope("citizen-ca.p12", false),
            "foreigner", new Scope("foreigner-ca.p12", false), "kids", new Scope("kids-ca.p12", false), "root", new Scope("root-ca.p12", true));
    private static final char[] PASSWORD = "demo".toCharArray();
    private static final Logger log = LoggerFactory.getLogger(DemoCrlPublisher.class);

    private record Scope(String keyStore, boolean caCertificates) {
    }

    private final Path pkiDir;
    private final Clock clock;

    public DemoCrlPublisher(@Value("${passerelle.demo.eid-pki-dir}") Path pkiDir, Clock clock) {
        this.pkiDir = pkiDir;
        this.clock = clock;
    }

    @GetMapping(PATH + "/{name}.crl")
    public ResponseEntity<byte[]> crl(@PathVariable String name) {
        Scope scope = CRLS.get(name);
        if (scope == null) {
            return ResponseEntity.notFound().build();
        }
        try {
            return ResponseEntity.ok().contentType(PKIX_CRL).header("Cache-Control", "max-age=" + VALIDITY.toSeconds())
                    .body(sign(scope));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            log.warn("DEMO eID CRL {}: {} cannot be read ({}); it is generated at start (DemoEidSetup); restart, or delete the folder to generate it again",
                    name, pkiDir.resolve(scope.keyStore()), e.toString());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build();
        }
    }

    /** A complete CRL (RFC 5280 5.1) of the CA, read from the folder on every request: the demo has few. */
    private byte[] sign(Scope scope) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pkiDir.resolve(scope.keyStore()))) {
            store.load(in, PASSWORD);
        }
        PrivateKey key = (PrivateKey) store.getKey("key", PASSWORD);
        X509Certificate ca = (X509Certificate) store.getCertificate("key");
        Instant now = clock.instant();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                Date.from(now));
        builder.setNextUpdate(Date.from(now.plus(VALIDITY)));
        Path revokedFile = pkiDir.resolve("revoked-serials.txt");
        // Revoked when the list was written, like the demo OCSP responder says; not "now" on every request.
        Date revokedSince = Date.from(Files.getLastModifiedTime(revokedFile).toInstant());
        for (BigInteger serial : revoked(revokedFile)) {
            builder.addCRLEntry(serial, revokedSince, CRLReason.keyCompromise);
        }
        try {
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.getEpochSecond())));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca));
            // The scope, so that the connector's RFC 5280 6.3.3 checks run in the demo too (the IDP is critical).
            builder.addExtension(Extension.issuingDistributionPoint, true, new IssuingDistributionPoint(null,
                    !scope.caCertificates(), scope.caCertificates(), null, false, false));
            String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return builder.build(new JcaContentSignerBuilder(algorithm).build(key)).getEncoded();
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** revoked-serials.txt: one hexadecimal serial a line, as DemoPki writes it; # comments and blanks skipped. */
    private static Set<BigInteger> revoked(Path file) throws IOException {
        Set<BigInteger> serials = new HashSet<>();
        for (String line : Files.readAllLines(file)) {
            String serial = line.strip();
            if (!serial.isEmpty() && !serial.startsWith("#")) {
                serials.add(new BigInteger(serial, 16));
            }
        }
        return serials;
    }

    /** Fetched by the eID connector, not a browser: no session, no CSRF, before the demo chain (order -20). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "passerelle.demo.enabled", havingValue = "true")
    static class Security {

        @Bean
        @Order(-22)
        SecurityFilterChain demoCrlChain(HttpSecurity http) {
            http.securityMatcher(PATH + "/**")
                    .authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll())
                    .csrf(csrf -> csrf.disable())
                    .requestCache(cache -> cache.disable())
                    .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
            return http.build();
        }
    }
}

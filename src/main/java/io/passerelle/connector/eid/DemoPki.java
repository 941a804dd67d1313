package io.passerelle.connector.eid;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyUsage;

import io.passerelle.connector.eid.DemoCertificates.CardSpec;
import io.passerelle.connector.eid.DemoCertificates.Issued;

/**
 * DEMO ONLY: writes a fresh eID-shaped PKI into a folder (default certs/demo): root, citizen CA, foreigner CA
 * (each naming the root's ARL as its CRL distribution point), an OCSP responder per issuing CA, the CAs' keys
 * (for the demo CRLs), the eID listener's TLS key, and demo cards (.p12, password "demo") that are valid,
 * revoked, expired, not yet valid, with the wrong key usage, with the wrong policy, and from an untrusted root;
 * revoked-serials.txt and issued-serials.txt tell io.passerelle.demo.DemoOcspResponder and
 * io.passerelle.demo.DemoCrlPublisher what to answer. The cards and CAs name OCSP and CRL URLs under the base URL
 * (second argument, default http://localhost:8080: where Passerelle serves them with the demo on).
 *
 * <pre>
 * mvn -o -q package -DskipTests
 * java -cp target/passerelle-0.1.0-SNAPSHOT.jar -Dloader.main=io.passerelle.connector.eid.DemoPki \
 *      org.springframework.boot.loader.launch.PropertiesLauncher certs/demo [http://localhost:8080]
 * </pre>
 */
public final class DemoPki {

    static final char[] PASSWORD = "demo".toCharArray();
    public static final String DEFAULT_BASE_URL = "http://localhost:8080";
    static final String OCSP_PATH = "/demo/eid/ocsp";
    /** The demo CRLs: {@code citizen.crl}, {@code foreigner.crl} and the root's ARL {@code root.crl}. */
    public static final String CRL_PATH = "/demo/eid/crl/";

    /** Serials (hex) of the cards the demo CAs issued in this run, written to issued-serials.txt. */
    private static final List<String> issued = new ArrayList<>();

    private DemoPki() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "certs/demo");
        String base = (args.length > 1 ? args[1] : DEFAULT_BASE_URL).replaceFirst("/+$", "");
        String ocspUrl = base + OCSP_PATH;
        String citizenCrl = base + CRL_PATH + "citizen.crl";
        Files.createDirectories(out);
        Issued root = DemoCertificates.root("Passerelle Demo Root CA");
        Issued citizenCa = DemoCertificates.issuingCa("Citizen CA", "209901", root, base + CRL_PATH + "root.crl");
        Issued foreignerCa = DemoCertificates.issuingCa("Foreigner CA", "209901", root, base + CRL_PATH + "root.crl");
        Issued responder = DemoCertificates.ocspResponder("Citizen CA OCSP Responder", citizenCa);
        // A delegated responder signs only for the CA that issued it (RFC 6960 4.2.2.2): foreigner cards need their own.
        Issued foreignerResponder = DemoCertificates.ocspResponder("Foreigner CA OCSP Responder", foreignerCa);
        Issued tls = DemoCertificates.tlsServer("localhost", root);
        pem(out.resolve("root-ca.pem"), root.certificate());
        pem(out.resolve("citizen-ca.pem"), citizenCa.certificate());
        pem(out.resolve("foreigner-ca.pem"), foreignerCa.certificate());
        pem(out.resolve("ocsp-responder.pem"), responder.certificate());
        p12(out.resolve("ocsp-responder.p12"), responder, citizenCa);
        pem(out.resolve("ocsp-responder-foreigner.pem"), foreignerResponder.certificate());
        p12(out.resolve("ocsp-responder-foreigner.p12"), foreignerResponder, foreignerCa);
        p12(out.resolve("eid-listener-tls.p12"), tls, root);
        // CRLs are signed by the CA itself (RFC 5280 5.1.1.2; indirect CRLs are refused by the connector), so the demo
        // CRL endpoint needs the CA keys. A real CA key never leaves its HSM; these are synthetic.
        p12(out.resolve("root-ca.p12"), root, root);
        p12(out.resolve("citizen-ca.p12"), citizenCa, root);
        p12(out.resolve("foreigner-ca.p12"), foreignerCa, root);

        Instant now = Instant.now();
        issued.clear();
        CardSpec valid = CardSpec.citizen(NationalNumber.withCheckDigits("850730033", false), "Alice Demo", "SPECIMEN",
                ocspUrl, citizenCrl);
        card(out, "valid", DemoCertificates.card(valid, citizenCa), citizenCa);
        card(out, "valid-born-2003", DemoCertificates.card(CardSpec.citizen(NationalNumber.withCheckDigits("030615124", true),
                "Bram Demo", "SPECIMEN", ocspUrl, citizenCrl), citizenCa), citizenCa);
        card(out, "valid-rsa", DemoCertificates.card(valid.withRsaKey(), citizenCa), citizenCa);
        card(out, "foreigner", DemoCertificates.card(valid.withPolicy("2.16.56.12.1.1.7.2")
                .withCrlUrl(base + CRL_PATH + "foreigner.crl"), foreignerCa), foreignerCa);
        Issued revoked = DemoCertificates.card(CardSpec.citizen(NationalNumber.withCheckDigits("900101002", false),
                "Victor Revoked", "SPECIMEN", ocspUrl, citizenCrl), citizenCa);
        card(out, "revoked", revoked, citizenCa);
        Files.writeString(out.resolve("revoked-serials.txt"), revoked.certificate().getSerialNumber().toString(16) + "\n");
        card(out, "expired", DemoCertificates.card(valid.validBetween(now.minusSeconds(400L * 86400),
                now.minusSeconds(86400)), citizenCa), citizenCa);
        card(out, "not-yet-valid", DemoCertificates.card(valid.validBetween(now.plusSeconds(30L * 86400),
                now.plusSeconds(400L * 86400)), citizenCa), citizenCa);
        card(out, "wrong-key-usage", DemoCertificates.card(valid.withKeyUsage(KeyUsage.nonRepudiation), citizenCa), citizenCa);
        card(out, "wrong-policy", DemoCertificates.card(valid.withPolicy("2.16.56.12.1.1.2.1"), citizenCa), citizenCa);
        Issued otherRoot = DemoCertificates.root("Untrusted Root CA");
        Issued otherCa = DemoCertificates.issuingCa("Citizen CA", "209901", otherRoot);
        // Written without card(): not issued by a demo CA, so not in issued-serials.txt.
        p12(out.resolve("card-untrusted-root.p12"), DemoCertificates.card(valid, otherCa), otherCa);
        // The demo OCSP responder (io.passerelle.demo.DemoOcspResponder) answers "unknown" for any other serial.
        Files.writeString(out.resolve("issued-serials.txt"), String.join("\n", issued) + "\n");
        System.out.println("demo eID PKI written to " + out.toAbsolutePath() + " (card password: demo)");
    }

    private static void card(Path out, String name, Issued card, Issued ca) throws IOException, GeneralSecurityException {
        issued.add(card.certificate().getSerialNumber().toString(16));
        p12(out.resolve("card-" + name + ".p12"), card, ca);
    }

    private static void p12(Path file, Issued entry, Issued issuer) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        Certificate[] chain = entry == issuer ? new Certificate[] {entry.certificate()}
                : new Certificate[] {entry.certificate(), issuer.certificate()};
        store.setKeyEntry("key", entry.key(), PASSWORD, chain);
        try (OutputStream stream = Files.newOutputStream(file)) {
            store.store(stream, PASSWORD);
        }
    }

    static void pem(Path file, X509Certificate... certificates) throws IOException, GeneralSecurityException {
        StringBuilder text = new StringBuilder();
        for (X509Certificate certificate : List.of(certificates)) {
            text.append("-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        Files.writeString(file, text);
    }
}

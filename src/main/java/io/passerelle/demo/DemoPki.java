package io.passerelle.demo;

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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.bouncycastle.asn1.x509.KeyUsage;

import io.passerelle.connector.eid.NationalNumber;
import io.passerelle.demo.DemoCertificates.CardSpec;
import io.passerelle.demo.DemoCertificates.Issued;

/**
 * DEMO ONLY: writes a fresh eID-shaped PKI into a folder (passerelle.demo.eid-pki-dir, default ./data/demo-eid;
 * {@link DemoEidSetup} calls it at start when the folder holds none): root; citizen, foreigner and Kids-ID CAs
 * (each naming the root's ARL as its CRL distribution point); an OCSP responder per issuing CA; the CAs' keys (for
 * the demo CRLs); the eID listener's TLS key; and the demo cards (.p12, password "demo") of {@link #CARDS}.
 * revoked-serials.txt and issued-serials.txt tell {@link DemoOcspResponder} and {@link DemoCrlPublisher} what to
 * answer; pki.properties records the base URL and host it was made for, so that a start with another issuer
 * makes a new one (the cards name the OCSP and CRL URLs under the base URL).
 */
public final class DemoPki {

    static final char[] PASSWORD = "demo".toCharArray();
    static final String OCSP_PATH = "/demo/eid/ocsp";
    /** The demo CRLs: {@code citizen.crl}, {@code foreigner.crl}, {@code kids.crl} and the root's ARL {@code root.crl}. */
    public static final String CRL_PATH = "/demo/eid/crl/";
    /** Written last: a folder without it holds no (complete) demo PKI. */
    static final String MARKER = "pki.properties";
    /**
     * The demo's Kids-ID authentication policy. The real Kids-ID CA and policy OIDs are not confirmed (domain facts
     * 2.1.5); the demo uses the citizen policy under a CA of its own, which the demo connector's kids rule names.
     */
    static final String KIDS_POLICY = "2.16.56.12.1.1.2.2";
    /** A downloadable card (card-NAME.p12) and what signing in with it shows. */
    public record Card(String name, String holder, String result) {
    }

    /** The downloadable cards, in the order the demo portal lists them. */
    public static final List<Card> CARD_LIST = List.of(
            new Card("valid", "Alice SPECIMEN, citizen (EC key)", "signs in at LoA high"),
            new Card("valid-rsa", "Alice SPECIMEN, citizen (RSA key, PKCS#1 v1.5 over TLS 1.2)", "signs in at LoA high"),
            new Card("foreigner", "Farah SPECIMEN, foreigner's card", "signs in at LoA high"),
            new Card("kids", "Kim SPECIMEN, Kids-ID, aged 8", "signs in where the portal accepts minors"),
            new Card("valid-born-2003", "Bram SPECIMEN, citizen born in 2003", "signs in at LoA high"),
            new Card("expired", "Alice SPECIMEN, expired card", "refused: the card has expired"),
            new Card("not-yet-valid", "Alice SPECIMEN, card not yet valid", "refused: the card is not valid yet"),
            new Card("revoked", "Victor SPECIMEN, revoked card", "refused: the demo OCSP responder says revoked"),
            new Card("wrong-key-usage", "Alice SPECIMEN, signature certificate", "refused: not the authentication certificate"),
            new Card("wrong-policy", "Alice SPECIMEN, signature policy", "refused: not the authentication certificate"),
            new Card("untrusted-root", "Alice SPECIMEN, from an unknown root", "refused: not issued by a trusted CA"));
    /** The names of {@link #CARD_LIST}. */
    public static final List<String> CARDS = CARD_LIST.stream().map(Card::name).toList();

    private DemoPki() {
    }

    /** The base URL and TLS host the PKI in {@code dir} was made for, or empty when it holds none. */
    static Optional<Properties> madeFor(Path dir) {
        Path marker = dir.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(marker)) {
            properties.load(in);
            return Optional.of(properties);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes the demo PKI into {@code out}: cards and CAs name OCSP and CRL URLs under {@code baseUrl} (where
     * Passerelle serves them with the demo on), the listener's TLS certificate names {@code tlsHost}.
     */
    public static void generate(Path out, String baseUrl, String tlsHost) throws IOException, GeneralSecurityException {
        String base = baseUrl.replaceFirst("/+$", "");
        String ocspUrl = base + OCSP_PATH;
        String citizenCrl = base + CRL_PATH + "citizen.crl";
        String arl = base + CRL_PATH + "root.crl";
        Files.createDirectories(out);
        Files.deleteIfExists(out.resolve(MARKER));
        List<String> issued = new ArrayList<>();
        Issued root = DemoCertificates.root("Passerelle Demo Root CA");
        Issued citizenCa = DemoCertificates.issuingCa("Citizen CA", "209901", root, arl);
        Issued foreignerCa = DemoCertificates.issuingCa("Foreigner CA", "209901", root, arl);
        Issued kidsCa = DemoCertificates.issuingCa("Kids CA", "209901", root, arl);
        pem(out.resolve("root-ca.pem"), root.certificate());
        p12(out.resolve("eid-listener-tls.p12"), DemoCertificates.tlsServer(tlsHost, root), root);
        // CRLs are signed by the CA itself (RFC 5280 5.1.1.2; indirect CRLs are refused by the connector), so the demo
        // CRL endpoint needs the CA keys. A real CA key never leaves its HSM; these are synthetic.
        p12(out.resolve("root-ca.p12"), root, root);
        for (var ca : List.of(Map.entry("citizen", citizenCa), Map.entry("foreigner", foreignerCa),
                Map.entry("kids", kidsCa))) {
            pem(out.resolve(ca.getKey() + "-ca.pem"), ca.getValue().certificate());
            p12(out.resolve(ca.getKey() + "-ca.p12"), ca.getValue(), root);
            // A delegated responder signs only for the CA that issued it (RFC 6960 4.2.2.2): one per CA.
            String suffix = ca.getKey().equals("citizen") ? "" : "-" + ca.getKey();
            Issued responder = DemoCertificates.ocspResponder(ca.getValue().certificate().getSubjectX500Principal()
                    .getName().replaceAll(".*CN=([^,]+).*", "$1") + " OCSP Responder", ca.getValue());
            pem(out.resolve("ocsp-responder" + suffix + ".pem"), responder.certificate());
            p12(out.resolve("ocsp-responder" + suffix + ".p12"), responder, ca.getValue());
        }

        Instant now = Instant.now();
        CardSpec valid = CardSpec.citizen(NationalNumber.withCheckDigits("850730033", false), "Alice Demo", "SPECIMEN",
                ocspUrl, citizenCrl);
        card(out, issued, "valid", DemoCertificates.card(valid, citizenCa), citizenCa);
        card(out, issued, "valid-born-2003", DemoCertificates.card(CardSpec.citizen(
                NationalNumber.withCheckDigits("030615124", true), "Bram Demo", "SPECIMEN", ocspUrl, citizenCrl),
                citizenCa), citizenCa);
        card(out, issued, "valid-rsa", DemoCertificates.card(valid.withRsaKey(), citizenCa), citizenCa);
        card(out, issued, "foreigner", DemoCertificates.card(CardSpec.citizen(
                NationalNumber.withCheckDigits("910214117", false), "Farah Demo", "SPECIMEN", ocspUrl, citizenCrl)
                .withPolicy("2.16.56.12.1.1.7.2").withCrlUrl(base + CRL_PATH + "foreigner.crl"), foreignerCa), foreignerCa);
        // Aged 8 today: the national number starts with the birth date (domain facts 2.1.6).
        LocalDate born = LocalDate.ofInstant(now, ZoneOffset.UTC).minusYears(8).minusDays(10);
        String kidsNumber = NationalNumber.withCheckDigits(
                born.format(DateTimeFormatter.ofPattern("yyMMdd")) + "215", born.getYear() >= 2000);
        card(out, issued, "kids", DemoCertificates.card(CardSpec.citizen(kidsNumber, "Kim Demo", "SPECIMEN", ocspUrl,
                base + CRL_PATH + "kids.crl").withPolicy(KIDS_POLICY), kidsCa), kidsCa);
        Issued revoked = DemoCertificates.card(CardSpec.citizen(NationalNumber.withCheckDigits("900101002", false),
                "Victor Revoked", "SPECIMEN", ocspUrl, citizenCrl), citizenCa);
        card(out, issued, "revoked", revoked, citizenCa);
        Files.writeString(out.resolve("revoked-serials.txt"), revoked.certificate().getSerialNumber().toString(16) + "\n");
        card(out, issued, "expired", DemoCertificates.card(valid.validBetween(now.minusSeconds(400L * 86400),
                now.minusSeconds(86400)), citizenCa), citizenCa);
        card(out, issued, "not-yet-valid", DemoCertificates.card(valid.validBetween(now.plusSeconds(30L * 86400),
                now.plusSeconds(400L * 86400)), citizenCa), citizenCa);
        card(out, issued, "wrong-key-usage", DemoCertificates.card(valid.withKeyUsage(KeyUsage.nonRepudiation), citizenCa),
                citizenCa);
        card(out, issued, "wrong-policy", DemoCertificates.card(valid.withPolicy("2.16.56.12.1.1.2.1"), citizenCa),
                citizenCa);
        Issued otherRoot = DemoCertificates.root("Untrusted Root CA");
        Issued otherCa = DemoCertificates.issuingCa("Citizen CA", "209901", otherRoot);
        // Written without card(): not issued by a demo CA, so not in issued-serials.txt.
        p12(out.resolve("card-untrusted-root.p12"), DemoCertificates.card(valid, otherCa), otherCa);
        // The demo OCSP responder answers "unknown" for any other serial.
        Files.writeString(out.resolve("issued-serials.txt"), String.join("\n", issued) + "\n");
        Properties marker = new Properties();
        marker.setProperty("base-url", base);
        marker.setProperty("tls-host", tlsHost);
        marker.setProperty("generated", now.toString());
        try (var writer = Files.newBufferedWriter(out.resolve(MARKER))) {
            marker.store(writer, "DEMO ONLY: the demo eID PKI (io.passerelle.demo.DemoPki); delete this folder to make a new one");
        }
    }

    private static void card(Path out, List<String> issued, String name, Issued card, Issued ca)
            throws IOException, GeneralSecurityException {
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

    public static void pem(Path file, X509Certificate... certificates) throws IOException, GeneralSecurityException {
        StringBuilder text = new StringBuilder();
        for (X509Certificate certificate : List.of(certificates)) {
            text.append("-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        Files.writeString(file, text);
    }
}

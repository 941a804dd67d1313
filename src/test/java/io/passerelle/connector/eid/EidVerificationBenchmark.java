package io.passerelle.connector.eid;

import java.time.Clock;
import java.util.List;

import io.passerelle.demo.DemoCertificates;
import io.passerelle.demo.DemoCertificates.Issued;

/**
 * Not a test: the cost of verifying one card certificate (every check plus revocation) once its OCSP answer is
 * cached, as issue 4 asks (under 1 ms). Run with the test classpath:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) io.passerelle.connector.eid.EidVerificationBenchmark}
 */
public final class EidVerificationBenchmark {

    private EidVerificationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try (RevocationServer upstream = new RevocationServer()) {
            upstream.ocspAnswers(0);
            TestPki pki = upstream.pki;
            CertificateVerifier verifier = new CertificateVerifier(pki.trust(),
                    new RevocationChecker(upstream.settings(), Clock.systemUTC()), Clock.systemUTC());
            for (Issued card : List.of(pki.card(pki.citizen()), pki.card(pki.citizen().withRsaKey()))) {
                List<java.security.cert.X509Certificate> chain = List.of(card.certificate(), pki.citizenCa.certificate());
                verifier.verify(chain); // fetches and caches the OCSP answer
                for (int i = 0; i < 20_000; i++) {
                    verifier.verify(chain); // warm-up
                }
                int rounds = 50_000;
                long start = System.nanoTime();
                for (int i = 0; i < rounds; i++) {
                    verifier.verify(chain);
                }
                double micros = (System.nanoTime() - start) / 1_000.0 / rounds;
                System.out.printf("%s card, cached OCSP, same certificate objects: %.1f µs per verification (%d rounds, %d OCSP fetches)%n",
                        card.key().getAlgorithm(), micros, rounds, upstream.ocspRequests());
                // Each TLS handshake yields freshly decoded certificates, and the JDK caches a verified signature
                // per certificate object: decode anew every time to measure the real signature checks too.
                byte[] cardBytes = card.certificate().getEncoded();
                byte[] caBytes = pki.citizenCa.certificate().getEncoded();
                java.security.cert.CertificateFactory factory = java.security.cert.CertificateFactory.getInstance("X.509");
                start = System.nanoTime();
                for (int i = 0; i < rounds / 5; i++) {
                    verifier.verify(List.of(
                            (java.security.cert.X509Certificate) factory.generateCertificate(new java.io.ByteArrayInputStream(cardBytes)),
                            (java.security.cert.X509Certificate) factory.generateCertificate(new java.io.ByteArrayInputStream(caBytes))));
                }
                micros = (System.nanoTime() - start) / 1_000.0 / (rounds / 5);
                System.out.printf("%s card, cached OCSP, freshly decoded chain: %.1f µs per verification%n",
                        card.key().getAlgorithm(), micros);
            }
        }
    }
}

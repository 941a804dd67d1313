package io.passerelle.connector.eid;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.nio.file.Path;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * The eID listener's TLS context, handed to Tomcat ready-made so that every engine it creates is pinned to
 * TLS 1.2 and to signature schemes without RSA-PSS.
 *
 * <p>Why: RSA eID cards can sign only PKCS#1 v1.5. TLS 1.3 forbids PKCS#1 v1.5 in CertificateVerify, so those
 * cards can authenticate over TLS 1.2 only; and when the server's CertificateRequest lists rsa_pss_* schemes,
 * Firefox/NSS picks PSS and hangs after the PIN (domain facts 2.1.7). JSSE's only global knob is the
 * jdk.tls.server.SignatureSchemes system property, which would weaken every other TLS endpoint of the JVM and
 * is read once at class load; SSLParameters.setSignatureSchemes (JDK 19+) does it per engine instead.
 */
final class EidTlsContext implements org.apache.tomcat.util.net.SSLContext {

    static final String PROTOCOL = "TLSv1.2";
    /** ECDSA for EC cards (applet 1.8+), PKCS#1 v1.5 for RSA cards; no rsa_pss_*. */
    static final String[] SIGNATURE_SCHEMES = {"ecdsa_secp256r1_sha256", "ecdsa_secp384r1_sha384",
            "ecdsa_secp521r1_sha512", "rsa_pkcs1_sha256", "rsa_pkcs1_sha384", "rsa_pkcs1_sha512"};
    static final String[] CIPHERS = {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"};

    private final javax.net.ssl.SSLContext context;
    private final X509KeyManager keyManager;
    private final X509TrustManager trustManager;

    private EidTlsContext(javax.net.ssl.SSLContext context, X509KeyManager keyManager, X509TrustManager trustManager) {
        this.context = context;
        this.keyManager = keyManager;
        this.trustManager = trustManager;
    }

    static EidTlsContext load(Path keyStoreFile, char[] password, List<Path> trustedCas) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStoreFile)) {
                keys.load(in, password);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            int n = 0;
            for (Path file : trustedCas) {
                try (InputStream in = Files.newInputStream(file)) {
                    for (Certificate certificate : factory.generateCertificates(in)) {
                        trust.setCertificateEntry("ca-" + n++, certificate);
                    }
                }
            }
            if (n == 0) {
                throw new IllegalStateException("passerelle.eid-listener.trusted-cas lists no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            X509TrustManager anchors = (X509TrustManager) tmf.getTrustManagers()[0];
            context.init(kmf.getKeyManagers(), new TrustManager[] {new DeferredClientTrust(anchors)}, new SecureRandom());
            return new EidTlsContext(context, (X509KeyManager) kmf.getKeyManagers()[0], anchors);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("eID listener TLS material cannot be loaded: " + e.getMessage(), e);
        }
    }

    @Override
    public void init(KeyManager[] kms, TrustManager[] tms, SecureRandom sr) {
        // Already initialised from certs/ in load(); Tomcat does not call this for a provided context.
    }

    @Override
    public void destroy() {
    }

    @Override
    public SSLSessionContext getServerSessionContext() {
        return context.getServerSessionContext();
    }

    @Override
    public SSLEngine createSSLEngine() {
        SSLEngine engine = context.createSSLEngine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(new String[] {PROTOCOL});
        parameters.setSignatureSchemes(SIGNATURE_SCHEMES);
        engine.setSSLParameters(parameters);
        return engine;
    }

    @Override
    public SSLServerSocketFactory getServerSocketFactory() {
        return context.getServerSocketFactory();
    }

    @Override
    public SSLParameters getSupportedSSLParameters() {
        return context.getSupportedSSLParameters();
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return keyManager.getCertificateChain(alias);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return trustManager.getAcceptedIssuers();
    }

    /**
     * Lets every client chain through the handshake and leaves the verdict to {@link CertificateVerifier}
     * (path to the anchors, validity, key usage, policy, revocation), which runs on every login before
     * anything is trusted. Why: a card refused inside the TLS handshake shows the citizen a browser
     * error with no explanation; refused by the verifier, it gets a page in their language with a
     * reference code. Proof of possession is unaffected: the TLS stack verifies the CertificateVerify
     * signature with the presented key whatever the trust manager says. The configured CAs are still
     * advertised, so browsers offer the right card.
     */
    private record DeferredClientTrust(X509TrustManager anchors) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // Deliberately empty: see above; CertificateVerifier decides after the handshake.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("the eID listener is a server, never a TLS client");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return anchors.getAcceptedIssuers();
        }
    }
}

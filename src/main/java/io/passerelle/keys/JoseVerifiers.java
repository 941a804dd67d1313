package io.passerelle.keys;

import java.security.Key;
import java.security.Provider;
import java.util.Set;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Signature verifiers for every JWT the gateway checks (upstream ID tokens and userinfo, portals'
 * client assertions, its own access tokens, admin assertions). ECDSA verification goes through
 * BouncyCastle: on this x86-64 class of machine (no AVX-512, so the JDK's P-256 code runs without its
 * intrinsic) one ES256 verification measured 705 µs with the JDK's provider and 240 µs with BC's, and
 * every brokered login verifies at least one. Only the arithmetic provider changes: algorithms stay
 * pinned by the callers, Nimbus still refuses out-of-range (r, s) before any arithmetic. Signing stays
 * with the JDK (218 µs against BC's 294 µs). RSA stays with the JDK too, where it is cheap.
 */
public final class JoseVerifiers {

    /**
     * Used as an object, never registered JVM-wide (Security.addProvider), so nothing else changes. The one
     * BouncyCastle provider of the process ({@link JwkGenerator} signs its certificates with it): each new one
     * registers its thousands of algorithm entries again, a start-up cost for nothing.
     */
    static final Provider BC = new BouncyCastleProvider();

    private static final JWSVerifierFactory FACTORY = new Factory();

    private JoseVerifiers() {
    }

    /** A verifier for one key of a provider's JWKS; refuses key types no pinned algorithm can use. */
    public static JWSVerifier forKey(JWK key) throws JOSEException {
        if (key instanceof RSAKey rsa) {
            return new RSASSAVerifier(rsa);
        }
        if (key instanceof ECKey ec) {
            return fastEc(new ECDSAVerifier(ec));
        }
        throw new JOSEException("unsupported key type " + key.getKeyType());
    }

    /** For Nimbus processors (and so Spring's {@code NimbusJwtDecoder}): the same verifiers as {@link #forKey}. */
    public static <C extends SecurityContext> Consumer<ConfigurableJWTProcessor<C>> processorCustomizer() {
        return processor -> processor.setJWSVerifierFactory(FACTORY);
    }

    private static JWSVerifier fastEc(ECDSAVerifier verifier) {
        verifier.getJCAContext().setProvider(BC);
        return verifier;
    }

    /** Nimbus's own factory (the same choice of verifier for a header and key), with ECDSA through BC. */
    private static final class Factory implements JWSVerifierFactory {

        private final DefaultJWSVerifierFactory standard = new DefaultJWSVerifierFactory();

        @Override
        public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
            JWSVerifier verifier = standard.createJWSVerifier(header, key);
            return verifier instanceof ECDSAVerifier ec ? fastEc(ec) : verifier;
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return standard.supportedJWSAlgorithms();
        }

        @Override
        public JCAContext getJCAContext() {
            return standard.getJCAContext();
        }
    }
}

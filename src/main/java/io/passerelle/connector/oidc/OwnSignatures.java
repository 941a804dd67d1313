package io.passerelle.connector.oidc;

import java.security.SecureRandom;
import java.util.Base64;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;

/**
 * JWTs Passerelle signs towards a provider (client assertions, request objects) with its active key for
 * the configured algorithm; the header names the key's {@code kid} so the provider picks it from
 * Passerelle's published JWKS.
 */
final class OwnSignatures {

    private static final SecureRandom RANDOM = new SecureRandom();

    private OwnSignatures() {
    }

    static SignedJWT sign(OidcKeys keys, JWSAlgorithm alg, JOSEObjectType type, JWTClaimsSet claims, String step) {
        JWK key;
        try {
            key = keys.signingKey(alg);
        } catch (IllegalStateException e) {
            throw new ConnectorException(Kind.MISCONFIGURED, step, "Passerelle has no usable " + alg + " key", e);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(type).build(), claims);
        try {
            jwt.sign(signer(key));
        } catch (JOSEException e) {
            throw new ConnectorException(Kind.MISCONFIGURED, step, "signing with Passerelle's " + alg + " key failed", e);
        }
        return jwt;
    }

    /** A fresh, unguessable jti (256 bits): the provider rejects a jti it has seen, so it must never repeat. */
    static String newJti() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static JWSSigner signer(JWK key) throws JOSEException {
        if (key instanceof RSAKey rsa) {
            return new RSASSASigner(rsa);
        }
        if (key instanceof ECKey ec) {
            return new ECDSASigner(ec);
        }
        throw new JOSEException("unsupported key type " + key.getKeyType());
    }
}

package example.cityportal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The portal's signing key for private_key_jwt. The private key stays in the portal; Passerelle reads the
 * public key from /jwks.json (the {@code jwks_uri} of the portal's file) when it checks a client assertion.
 */
@Component
@RestController
public class ClientKey {

    private final RSAKey key;

    public ClientKey(PortalProperties properties) {
        this.key = load(properties);
    }

    /** The private key, for the client assertions. */
    public RSAKey signingKey() {
        return key;
    }

    /** The public key set Passerelle fetches (never the private half: {@code toPublicJWK}). */
    @GetMapping(path = "/jwks.json", produces = "application/json")
    public Map<String, Object> jwks() {
        return new JWKSet(key.toPublicJWK()).toJSONObject();
    }

    private static RSAKey load(PortalProperties properties) {
        String pem;
        try {
            pem = Files.readString(properties.clientKey());
        } catch (IOException e) {
            throw new UncheckedIOException("portal.client-key: cannot read " + properties.clientKey(), e);
        }
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException("portal.client-key: " + properties.clientKey()
                    + " is not a PKCS#8 PEM private key (openssl genpkey -algorithm RSA writes one)");
        }
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) rsa.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
            RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(
                    new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            RSAKey jwk = new RSAKey.Builder(publicKey).privateKey(privateKey)
                    .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).build();
            // The key id is the key's thumbprint: a new key gets a new id, so Passerelle fetches the set again.
            return new RSAKey.Builder(jwk).keyID(jwk.computeThumbprint().toString()).build();
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException | JOSEException e) {
            throw new IllegalArgumentException("portal.client-key: " + properties.clientKey()
                    + " is not an RSA private key: " + e.getMessage(), e);
        }
    }
}

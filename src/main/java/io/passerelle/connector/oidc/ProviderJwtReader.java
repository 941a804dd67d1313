package io.passerelle.connector.oidc;

import java.net.URI;
import java.text.ParseException;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Opens a JWT from the provider (an ID token or a signed UserInfo) by running the {@link JoseChecks} in
 * their only safe order: encrypted as configured, decrypted with Passerelle's key, algorithm pinned,
 * typed as a JWT, signature verified with the provider's key. Only then are the claims read.
 */
final class ProviderJwtReader {

    private final OidcKeys ownKeys;
    private final ProviderKeys providerKeys;

    ProviderJwtReader(OidcKeys ownKeys, ProviderKeys providerKeys) {
        this.ownKeys = ownKeys;
        this.providerKeys = providerKeys;
    }

    JWTClaimsSet read(String what, String compact, boolean encrypted, JWSAlgorithm pinned, URI jwksUri) {
        JWT jwt = JoseChecks.encryptedAsConfigured(what, compact, encrypted);
        if (jwt instanceof EncryptedJWT jwe) {
            jwt = JoseChecks.decrypted(what, jwe, ownKeys.decryptionKeys());
        }
        SignedJWT signed = JoseChecks.algorithmPinned(what, jwt, pinned);
        JoseChecks.typeIsJwt(what, signed);
        JoseChecks.signatureValid(what, signed, providerKeys.verificationKeys(jwksUri, signed.getHeader()));
        try {
            return signed.getJWTClaimsSet();
        } catch (ParseException e) {
            throw JoseChecks.fail(what + "Claims", "the " + what + " claims are not a valid JSON object");
        }
    }
}

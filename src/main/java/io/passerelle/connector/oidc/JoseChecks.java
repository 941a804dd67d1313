package io.passerelle.connector.oidc;

import java.text.ParseException;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;
import io.passerelle.keys.JoseVerifiers;

/**
 * The named checks on the JOSE envelope of an ID token or a signed UserInfo, before any claim is read.
 * {@code what} is {@code IdToken} or {@code UserInfo}; it prefixes the check name in the audit trail
 * (e.g. {@code IdTokenAlgorithmPinned}). Each check fails with INVALID_RESPONSE.
 */
final class JoseChecks {

    /** The only key management algorithm accepted on a JWE to Passerelle (OIDC Core 10.2, itsme JOSE rules). */
    static final JWEAlgorithm JWE_ALG = JWEAlgorithm.RSA_OAEP_256;
    private static final Set<EncryptionMethod> JWE_ENC = Set.copyOf(ProviderMetadata.SUPPORTED_ENC);

    private JoseChecks() {
    }

    /**
     * Encrypted exactly when configured (OIDC Core 3.1.3.7 item 1: "If the ID Token is encrypted, decrypt
     * it"; the converse is our rule: when the client registered for encrypted tokens, a merely signed one
     * was not made for it, and when it did not, a JWE is not what was agreed). Returns the parsed JWT.
     */
    static JWT encryptedAsConfigured(String what, String compact, boolean encrypted) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(compact);
        } catch (ParseException e) {
            throw fail(what + "Parsed", "the " + what + " is not a JWT");
        }
        boolean isJwe = jwt instanceof EncryptedJWT;
        if (encrypted && !isJwe) {
            throw fail(what + "EncryptedAsConfigured", "the " + what + " must be encrypted (JWE) but is not");
        }
        if (!encrypted && isJwe) {
            throw fail(what + "EncryptedAsConfigured", "the " + what + " is a JWE but encryption is not configured");
        }
        return jwt;
    }

    /**
     * Decrypts a JWE made to Passerelle's encryption key (OIDC Core 10.2, RFC 7516): alg RSA-OAEP-256 only,
     * a known content encryption, the key chosen by kid (any of ours when the header names none), and a
     * signed JWT inside: encryption alone says nothing about who made the token (Core 10.2: sign then encrypt).
     */
    static SignedJWT decrypted(String what, EncryptedJWT jwe, List<JWK> decryptionKeys) {
        String check = what + "Decrypted";
        JWEHeader header = jwe.getHeader();
        if (!JWE_ALG.equals(header.getAlgorithm()) || !JWE_ENC.contains(header.getEncryptionMethod())) {
            throw fail(check, "JWE alg " + safe(header.getAlgorithm()) + " / enc " + safe(header.getEncryptionMethod())
                    + " is not accepted (RSA-OAEP-256 required)");
        }
        List<JWK> candidates = decryptionKeys.stream()
                .filter(k -> k instanceof RSAKey && (header.getKeyID() == null || header.getKeyID().equals(k.getKeyID())))
                .toList();
        if (candidates.isEmpty()) {
            throw fail(check, "the JWE is for key '" + safe(header.getKeyID()) + "', which Passerelle does not hold");
        }
        boolean decrypted = false;
        for (JWK key : candidates) {
            try {
                jwe.decrypt(new RSADecrypter((RSAKey) key));
                decrypted = true;
                break;
            } catch (JOSEException | IllegalStateException e) {
                // Try the next key (only when the header named no kid); a wrong key fails the same way a forgery does.
            }
        }
        if (!decrypted) {
            throw fail(check, "the JWE cannot be decrypted with Passerelle's key");
        }
        SignedJWT inner = jwe.getPayload().toSignedJWT();
        if (inner == null) {
            throw fail(what + "SignedInsideEncrypted", "the JWE does not contain a signed JWT");
        }
        return inner;
    }

    /**
     * The header's alg equals the pinned one (OIDC Core 3.1.3.7 item 6/7; RFC 8725 3.1): an unsigned
     * token ({@code none}) and HMAC algorithms are refused whatever the configuration says, since HS256
     * "signed" with the provider's public key is the classic algorithm-confusion forgery.
     */
    static SignedJWT algorithmPinned(String what, JWT jwt, JWSAlgorithm pinned) {
        String check = what + "AlgorithmPinned";
        if (!(jwt instanceof SignedJWT signed)) {
            throw fail(check, "the " + what + " is not signed (alg " + safe(jwt.getHeader().getAlgorithm()) + ")");
        }
        JWSAlgorithm alg = signed.getHeader().getAlgorithm();
        if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
            throw fail(check, "HMAC algorithm " + safe(alg) + " is never accepted");
        }
        if (!pinned.equals(alg)) {
            throw fail(check, "alg " + safe(alg) + " is not the pinned " + pinned);
        }
        return signed;
    }

    /**
     * The {@code typ} header, when present, says JWT (RFC 8725 3.11): a token typed for another purpose
     * (an access token {@code at+jwt}, a logout token) must not be taken for an ID token.
     */
    static void typeIsJwt(String what, SignedJWT jwt) {
        JOSEObjectType type = jwt.getHeader().getType();
        if (type != null && !JOSEObjectType.JWT.getType().equalsIgnoreCase(type.getType())) {
            throw fail(what + "TypeIsJwt", "typ '" + safe(type) + "' is not JWT");
        }
    }

    /**
     * The signature verifies with one of the provider's keys (OIDC Core 3.1.3.7 item 6), as selected by
     * {@link ProviderKeys} (by kid, refreshed once on an unknown kid).
     */
    static void signatureValid(String what, SignedJWT jwt, List<JWK> providerKeys) {
        String check = what + "SignatureValid";
        if (providerKeys.isEmpty()) {
            throw fail(check, "no provider key with kid '" + safe(jwt.getHeader().getKeyID()) + "' for "
                    + jwt.getHeader().getAlgorithm());
        }
        for (JWK key : providerKeys) {
            try {
                if (jwt.verify(JoseVerifiers.forKey(key))) {
                    return;
                }
            } catch (JOSEException | IllegalStateException e) {
                // An unusable key or a malformed signature: try the next candidate, then refuse.
            }
        }
        throw fail(check, "the signature does not verify with the provider's key '" + safe(jwt.getHeader().getKeyID()) + "'");
    }


    /**
     * A value from the provider (or an attacker) made safe for a log line and the audit trail: printable
     * ASCII only (no line breaks to forge entries with) and at most 100 characters.
     */
    static String safe(Object value) {
        String text = String.valueOf(value);
        String cut = text.length() > 100 ? text.substring(0, 100) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7E]", "?");
    }

    static ConnectorException fail(String check, String message) {
        return new ConnectorException(Kind.INVALID_RESPONSE, check, message);
    }
}

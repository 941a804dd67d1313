package io.passerelle.connector.oidc;

import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;

/**
 * The provider's public keys from its {@code jwks_uri}, cached. A token naming a kid we do not know
 * (the provider rotated) triggers one re-fetch, but at most once per {@code jwks_min_refresh_interval}:
 * otherwise anyone could make every login fetch the JWKS by sending tokens with random kids. Retrying a
 * load that failed counts against the same interval, so a provider that is down is not hammered either.
 */
final class ProviderKeys {

    static final String JWKS = "Jwks";
    private static final int MIN_RSA_BITS = 2048;

    private final OidcHttp http;
    private final Clock clock;
    private final Duration minRefreshInterval;
    private JWKSet keys;
    private URI fetchedFrom;
    /** When the last refetch (for an unknown kid, or retrying a failed load) happened. */
    private Instant lastRefetch = Instant.MIN;

    ProviderKeys(OidcHttp http, Clock clock, Duration minRefreshInterval) {
        this.http = http;
        this.clock = clock;
        this.minRefreshInterval = minRefreshInterval;
    }

    /**
     * The provider keys that may verify a JWS with this header: its kid (when it names one), a key type and
     * curve fit for the algorithm, use sig (or unspecified), alg equal (or unspecified), RSA of 2048 bits or more.
     */
    synchronized List<JWK> verificationKeys(URI jwksUri, JWSHeader header) {
        return find(jwksUri, key -> (header.getKeyID() == null || header.getKeyID().equals(key.getKeyID()))
                && (key.getKeyUse() == null || KeyUse.SIGNATURE.equals(key.getKeyUse()))
                && (key.getAlgorithm() == null || key.getAlgorithm().equals(header.getAlgorithm()))
                && fits(key, header.getAlgorithm()));
    }

    /** The provider's RSA key for encrypting request objects to it (use=enc, alg RSA-OAEP-256 or unspecified). */
    synchronized RSAKey encryptionKey(URI jwksUri) {
        List<JWK> found = find(jwksUri, key -> key instanceof RSAKey rsa
                && KeyUse.ENCRYPTION.equals(key.getKeyUse())
                && (key.getAlgorithm() == null || JWEAlgorithm.RSA_OAEP_256.equals(key.getAlgorithm()))
                && rsa.size() >= MIN_RSA_BITS);
        if (found.isEmpty()) {
            throw new ConnectorException(Kind.MISCONFIGURED, "RequestObjectEncryptionKey",
                    "the provider's JWKS has no RSA key with use=enc for RSA-OAEP-256");
        }
        return (RSAKey) found.get(0);
    }

    private List<JWK> find(URI jwksUri, Predicate<JWK> wanted) {
        Instant now = clock.instant();
        if (keys == null || !jwksUri.equals(fetchedFrom)) {
            boolean retryingAFailedLoad = keys == null && jwksUri.equals(fetchedFrom);
            if (retryingAFailedLoad) {
                if (!mayRefetch(now)) {
                    throw new ConnectorException(Kind.UNAVAILABLE, JWKS, "the provider's JWKS could not be fetched recently");
                }
                lastRefetch = now;
            }
            fetch(jwksUri);
        }
        List<JWK> found = keys.getKeys().stream().filter(wanted).toList();
        if (found.isEmpty() && mayRefetch(now)) {
            lastRefetch = now;
            fetch(jwksUri);
            found = keys.getKeys().stream().filter(wanted).toList();
        }
        return found;
    }

    private boolean mayRefetch(Instant now) {
        return !now.isBefore(lastRefetch.plus(minRefreshInterval));
    }

    /** On failure the keys we had stay (and the exception says why the new ones could not be had). */
    private void fetch(URI jwksUri) {
        fetchedFrom = jwksUri;
        OidcHttp.Response response = http.get(jwksUri, "application/jwk-set+json, application/json", null, JWKS);
        if (response.serverError()) {
            throw new ConnectorException(Kind.SERVER_ERROR, JWKS, "the provider's JWKS answered HTTP " + response.status());
        }
        if (response.status() != 200) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, JWKS, "the provider's JWKS answered HTTP " + response.status());
        }
        try {
            keys = JWKSet.parse(response.text()).toPublicJWKSet();
        } catch (ParseException e) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, JWKS, "the provider's JWKS is not a valid JWK set");
        }
    }

    /** Whether the key's type (and curve) can verify this algorithm at all. */
    private static boolean fits(JWK key, JWSAlgorithm alg) {
        if (JWSAlgorithm.Family.RSA.contains(alg)) {
            return key instanceof RSAKey rsa && rsa.size() >= MIN_RSA_BITS;
        }
        if (JWSAlgorithm.Family.EC.contains(alg)) {
            return key instanceof ECKey ec && Curve.forJWSAlgorithm(alg).contains(ec.getCurve());
        }
        return false;
    }
}

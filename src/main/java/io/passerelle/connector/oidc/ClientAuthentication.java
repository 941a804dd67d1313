package io.passerelle.connector.oidc;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;

import io.passerelle.connector.oidc.OidcConnectorConfig.ClientAuth;

/**
 * How Passerelle authenticates at the provider's token endpoint (OIDC Core 9): HTTP Basic with the
 * client secret, or a {@code private_key_jwt} assertion (RFC 7523 2.2, 3) signed with Passerelle's key.
 */
final class ClientAuthentication {

    /** A short-lived assertion: it only has to survive one token request. */
    static final Duration ASSERTION_LIFETIME = Duration.ofSeconds(60);
    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final OidcConnectorConfig config;
    private final OidcKeys keys;
    private final Clock clock;

    ClientAuthentication(OidcConnectorConfig config, OidcKeys keys, Clock clock) {
        this.config = config;
        this.keys = keys;
        this.clock = clock;
    }

    /** The Authorization header value, or null when the client authenticates in the form. */
    String authorizationHeader() {
        if (config.clientAuth() != ClientAuth.CLIENT_SECRET_BASIC) {
            return null;
        }
        // RFC 6749 2.3.1: both parts are form-encoded before being joined and base64-encoded.
        String pair = OidcHttp.encode(config.clientId()) + ":" + OidcHttp.encode(config.clientSecret());
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(UTF_8));
    }

    /** Adds the client's form parameters for a request to {@code tokenEndpoint}. */
    void addFormParameters(Map<String, String> form, String tokenEndpoint) {
        if (config.clientAuth() != ClientAuth.PRIVATE_KEY_JWT) {
            return;
        }
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(config.clientId())
                .subject(config.clientId())
                // itsme and RFC 7523 3: the audience is the token endpoint URL.
                .audience(tokenEndpoint)
                .jwtID(OwnSignatures.newJti())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ASSERTION_LIFETIME)))
                .build();
        String assertion = OwnSignatures.sign(keys, config.clientAuthSigningAlg(), JOSEObjectType.JWT, claims,
                "ClientAssertion").serialize();
        form.put("client_id", config.clientId());
        form.put("client_assertion_type", ASSERTION_TYPE);
        form.put("client_assertion", assertion);
    }
}

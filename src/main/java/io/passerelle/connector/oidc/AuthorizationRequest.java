package io.passerelle.connector.oidc;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;
import io.passerelle.connector.LoginContext;
import io.passerelle.connector.oidc.OidcConnectorConfig.RequestObject;
import io.passerelle.connector.oidc.OidcConnectorConfig.UserInfo;

/**
 * Builds the URL that sends the browser to the provider (OIDC Core 3.1.2.1): as plain query parameters,
 * or as a request object (RFC 9101; OIDC Core 6.1) signed by Passerelle and, for itsme-grade providers,
 * encrypted to the provider so the browser (and anything logging URLs) sees neither nonce nor claims.
 */
final class AuthorizationRequest {

    /** RFC 9101 10.2: short-lived, so a leaked request object is soon useless. */
    static final Duration REQUEST_OBJECT_LIFETIME = Duration.ofMinutes(5);
    static final JOSEObjectType REQUEST_OBJECT_TYPE = new JOSEObjectType("oauth-authz-req+jwt");

    private final OidcConnectorConfig config;
    private final OidcKeys keys;
    private final LoaPolicy loaPolicy;
    private final ProviderKeys providerKeys;
    private final Clock clock;
    private final Map<String, Object> claimsParameter;

    AuthorizationRequest(OidcConnectorConfig config, OidcKeys keys, LoaPolicy loaPolicy, ProviderKeys providerKeys,
                         Clock clock) {
        this.config = config;
        this.keys = keys;
        this.loaPolicy = loaPolicy;
        this.providerKeys = providerKeys;
        this.clock = clock;
        this.claimsParameter = claimsParameter(config);
    }

    URI build(LoginContext login, ProviderMetadata metadata) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", config.clientId());
        parameters.put("redirect_uri", login.callbackUri().toString());
        parameters.put("scope", String.join(" ", config.scopes()));
        parameters.put("state", login.state());
        parameters.put("nonce", login.nonce());
        parameters.put("code_challenge", s256(login.codeVerifier()));
        parameters.put("code_challenge_method", "S256");
        if (login.uiLocale() != null) {
            parameters.put("ui_locales", login.uiLocale());
        }
        if (login.loginHint() != null) {
            parameters.put("login_hint", login.loginHint());
        }
        loaPolicy.acrValuesFor(login.requiredLoa()).ifPresent(acr -> parameters.put("acr_values", acr));
        if (claimsParameter != null) {
            parameters.put("claims", claimsParameter);
        }
        if (config.maxAge() != null) {
            parameters.put("max_age", config.maxAge().toSeconds());
        }

        Map<String, String> query = new LinkedHashMap<>();
        if (config.requestObject() == RequestObject.NONE) {
            // The only structured parameter is claims, sent as its JSON text (Core 5.5).
            parameters.forEach((name, value) -> query.put(name, value instanceof Map<?, ?>
                    ? JSONObjectUtils.toJSONString(claimsParameter) : value.toString()));
        } else {
            // OIDC Core 6.1: response_type, client_id and scope (with openid) also travel outside the object.
            query.put("client_id", config.clientId());
            query.put("response_type", "code");
            query.put("scope", String.join(" ", config.scopes()));
            query.put("request", requestObject(parameters, metadata));
        }
        String endpoint = metadata.authorizationEndpoint().toString();
        String encoded = query.entrySet().stream()
                .map(e -> OidcHttp.encode(e.getKey()) + "=" + OidcHttp.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return URI.create(endpoint + (metadata.authorizationEndpoint().getRawQuery() == null ? "?" : "&") + encoded);
    }

    /** RFC 9101 4: every authorization parameter inside, plus iss, aud, iat, nbf, exp and jti. */
    private String requestObject(Map<String, Object> parameters, ProviderMetadata metadata) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(config.clientId())
                .audience(config.issuer())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(REQUEST_OBJECT_LIFETIME)))
                .jwtID(OwnSignatures.newJti());
        parameters.forEach(claims::claim);
        SignedJWT signed = OwnSignatures.sign(keys, config.requestObjectSigningAlg(), REQUEST_OBJECT_TYPE,
                claims.build(), "RequestObject");
        if (config.requestObject() == RequestObject.SIGNED) {
            return signed.serialize();
        }
        RSAKey recipient = providerKeys.encryptionKey(metadata.jwksUri());
        JWEHeader header = new JWEHeader.Builder(JoseChecks.JWE_ALG, metadata.requestObjectEnc())
                .contentType("JWT")
                .keyID(recipient.getKeyID())
                .build();
        JWEObject jwe = new JWEObject(header, new Payload(signed));
        try {
            jwe.encrypt(new RSAEncrypter(recipient));
        } catch (JOSEException e) {
            throw new ConnectorException(Kind.MISCONFIGURED, "RequestObjectEncryption",
                    "encrypting the request object to the provider's key failed", e);
        }
        return jwe.serialize();
    }

    /**
     * The OIDC {@code claims} parameter (Core 5.5), built once: each configured claim in the id_token
     * member, and in the userinfo member too when UserInfo is called. Voluntary is written as
     * {@code {"essential": false}}, which Core 5.5.1 defines as the default.
     */
    private static Map<String, Object> claimsParameter(OidcConnectorConfig config) {
        if (config.claimsRequest().isEmpty()) {
            return null;
        }
        Map<String, Object> members = new LinkedHashMap<>();
        config.claimsRequest().forEach((claim, essential) -> members.put(claim, Map.of("essential", essential)));
        Map<String, Object> parameter = new LinkedHashMap<>();
        parameter.put("id_token", members);
        if (config.userInfo() != UserInfo.NONE) {
            parameter.put("userinfo", members);
        }
        return parameter;
    }

    /** RFC 7636 4.2: BASE64URL(SHA-256(ASCII(code_verifier))). */
    static String s256(String codeVerifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(codeVerifier.getBytes(US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}

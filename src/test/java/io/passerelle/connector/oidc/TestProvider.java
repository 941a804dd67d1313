package io.passerelle.connector.oidc;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.net.URLDecoder;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * An upstream OpenID provider played by WireMock: discovery, JWKS, token, UserInfo and authorization
 * endpoints under {@code /op}, with keys generated in the test, and helpers to mint the tokens it would
 * issue (signed, and encrypted to Passerelle).
 */
public final class TestProvider implements AutoCloseable {

    public static final RSAKey SIGNING = TestOidcKeys.rsa("op-sig-1", JWSAlgorithm.RS256, KeyUse.SIGNATURE);
    public static final RSAKey ENCRYPTION = TestOidcKeys.rsa("op-enc-1", JWEAlgorithm.RSA_OAEP_256, KeyUse.ENCRYPTION);
    /** A key the provider never publishes: what an attacker signs with. */
    public static final RSAKey ROGUE = TestOidcKeys.rsa("op-rogue", JWSAlgorithm.RS256, KeyUse.SIGNATURE);
    public static final String ACCESS_TOKEN = "SlAV32hkKG-access-token";
    public static final String CLIENT_ID = "passerelle-client";

    public final WireMockServer server = new WireMockServer(options().dynamicPort());
    public final String issuer;

    public TestProvider() {
        server.start();
        issuer = "http://localhost:" + server.port() + "/op";
        reset();
    }

    /** Fresh stubs: discovery and the published keys (signing and encryption, public parts). */
    public void reset() {
        server.resetAll();
        publishDiscovery(discovery());
        publishKeys(SIGNING.toPublicJWK(), ENCRYPTION.toPublicJWK());
        server.stubFor(get(urlPathEqualTo("/op/authorize")).willReturn(aResponse().withStatus(200).withBody("login page")));
    }

    public Map<String, Object> discovery() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("authorization_endpoint", issuer + "/authorize");
        doc.put("token_endpoint", issuer + "/token");
        doc.put("userinfo_endpoint", issuer + "/userinfo");
        doc.put("jwks_uri", issuer + "/jwks");
        doc.put("response_types_supported", List.of("code"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        return doc;
    }

    public void publishDiscovery(Map<String, Object> doc) {
        server.stubFor(get(urlEqualTo("/op/.well-known/openid-configuration"))
                .willReturn(okJson(JSONObjectUtils.toJSONString(doc))));
    }

    public void publishKeys(JWK... keys) {
        server.stubFor(get(urlEqualTo("/op/jwks")).willReturn(okJson(new JWKSet(List.of(keys)).toString(true))));
    }

    public void tokenAnswers(ResponseDefinitionBuilder response) {
        server.stubFor(post(urlEqualTo("/op/token")).willReturn(response));
    }

    /** The token endpoint answers with this ID token and {@link #ACCESS_TOKEN}. */
    public void tokenReturns(String idToken) {
        tokenAnswers(okJson(JSONObjectUtils.toJSONString(Map.of(
                "access_token", ACCESS_TOKEN, "token_type", "Bearer", "expires_in", 300, "id_token", idToken))));
    }

    public void userInfoAnswers(ResponseDefinitionBuilder response) {
        server.stubFor(get(urlEqualTo("/op/userinfo")).willReturn(response));
    }

    /** Valid ID token claims for this provider at {@code now}. */
    public JWTClaimsSet.Builder idClaims(Instant now, String nonce) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject("upstream-subject-42")
                .audience(CLIENT_ID)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .claim("nonce", nonce)
                .claim("auth_time", now.minusSeconds(5).getEpochSecond())
                .jwtID(UUID.randomUUID().toString());
    }

    public static String sign(JWTClaimsSet claims) {
        return signWith(SIGNING, JWSAlgorithm.RS256, claims);
    }

    public static String signWith(RSAKey key, JWSAlgorithm alg, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** Nests a signed JWT in a JWE to {@code recipient} (RSA-OAEP-256, A128CBC-HS256, cty JWT), as itsme does. */
    public static String encryptTo(RSAKey recipient, String signedJwt) {
        JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A128CBC_HS256)
                .contentType("JWT").keyID(recipient.getKeyID()).build(), new Payload(signedJwt));
        try {
            jwe.encrypt(new RSAEncrypter(recipient.toRSAPublicKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwe.serialize();
    }

    /** The decoded query parameters of a URL (each name once). */
    public static Map<String, String> query(URI uri) {
        return form(uri.getRawQuery());
    }

    public static Map<String, String> form(String encoded) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            String[] parts = pair.split("=", 2);
            result.put(URLDecoder.decode(parts[0], UTF_8), parts.length > 1 ? URLDecoder.decode(parts[1], UTF_8) : "");
        }
        return result;
    }

    @Override
    public void close() {
        server.stop();
    }
}

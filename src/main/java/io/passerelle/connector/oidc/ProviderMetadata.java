package io.passerelle.connector.oidc;

import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.util.JSONObjectUtils;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;
import io.passerelle.connector.oidc.OidcConnectorConfig.ClientAuth;
import io.passerelle.connector.oidc.OidcConnectorConfig.RequestObject;
import io.passerelle.connector.oidc.OidcConnectorConfig.UserInfo;

/**
 * The part of a provider's discovery document (OpenID Connect Discovery 1.0, section 3) the connector
 * uses, checked against the connector's configuration when it is fetched: a document that disagrees
 * (another issuer, no support for the pinned algorithm) stops logins with MISCONFIGURED rather than
 * failing later in a confusing way.
 *
 * @param issuer                 the issuer, equal to the configured one
 * @param authorizationEndpoint  where the browser is sent
 * @param tokenEndpoint          where the code is redeemed
 * @param jwksUri                the provider's keys
 * @param userInfoEndpoint       the UserInfo endpoint, or null
 * @param requestObjectEnc       the JWE content encryption to use for request objects
 * @param issParameterSupported  RFC 9207: the authorization response always carries {@code iss}
 */
record ProviderMetadata(String issuer, URI authorizationEndpoint, URI tokenEndpoint, URI jwksUri,
                        URI userInfoEndpoint, EncryptionMethod requestObjectEnc, boolean issParameterSupported) {

    /** Content encryptions we can produce for a request object, in the order we prefer them. */
    static final List<EncryptionMethod> SUPPORTED_ENC = List.of(EncryptionMethod.A128CBC_HS256,
            EncryptionMethod.A256CBC_HS512, EncryptionMethod.A192CBC_HS384, EncryptionMethod.A256GCM,
            EncryptionMethod.A192GCM, EncryptionMethod.A128GCM);

    static final String DISCOVERY = "Discovery";

    /** Parses the document and checks it against the configuration. */
    static ProviderMetadata parse(String json, OidcConnectorConfig config) {
        Map<String, Object> doc;
        try {
            doc = JSONObjectUtils.parse(json);
        } catch (ParseException e) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, DISCOVERY, "the discovery document is not a JSON object");
        }
        String issuer = string(doc, "issuer");
        // OIDC Discovery 4.3: the issuer must be identical to the one the document was looked up for.
        if (!config.issuer().equals(issuer)) {
            throw misconfigured("DiscoveryIssuerMatches", "discovery says issuer '" + JoseChecks.safe(issuer)
                    + "', the configuration pins '" + config.issuer() + "'");
        }
        URI authorization = endpoint(doc, "authorization_endpoint", true);
        URI token = endpoint(doc, "token_endpoint", true);
        URI jwks = endpoint(doc, "jwks_uri", true);
        URI userInfo = endpoint(doc, "userinfo_endpoint", false);
        if (config.userInfo() != UserInfo.NONE && userInfo == null) {
            throw misconfigured("DiscoveryUserInfoEndpoint", "userinfo is configured but discovery has no userinfo_endpoint");
        }
        requireSupported(doc, "id_token_signing_alg_values_supported", config.idTokenSigningAlg().getName());
        if (config.userInfo().jwt()) {
            requireSupported(doc, "userinfo_signing_alg_values_supported", config.userInfoSigningAlg().getName());
        }
        requireSupported(doc, "token_endpoint_auth_methods_supported",
                config.clientAuth() == ClientAuth.PRIVATE_KEY_JWT ? "private_key_jwt" : "client_secret_basic");
        if (config.clientAuth() == ClientAuth.PRIVATE_KEY_JWT) {
            requireSupported(doc, "token_endpoint_auth_signing_alg_values_supported", config.clientAuthSigningAlg().getName());
        }
        EncryptionMethod enc = null;
        if (config.requestObject() != RequestObject.NONE) {
            requireSupported(doc, "request_object_signing_alg_values_supported", config.requestObjectSigningAlg().getName());
            if (doc.containsKey("request_parameter_supported") && !Boolean.TRUE.equals(doc.get("request_parameter_supported"))) {
                throw misconfigured("DiscoveryRequestObject", "the provider does not accept the request parameter");
            }
        }
        if (config.requestObject() == RequestObject.SIGNED_AND_ENCRYPTED) {
            requireSupported(doc, "request_object_encryption_alg_values_supported", JWEAlgorithm.RSA_OAEP_256.getName());
            enc = requestObjectEnc(doc);
        }
        boolean issParameter = Boolean.TRUE.equals(doc.get("authorization_response_iss_parameter_supported"));
        return new ProviderMetadata(issuer, authorization, token, jwks, userInfo, enc, issParameter);
    }

    /** The provider's first listed content encryption we support; A128CBC-HS256 when it lists none. */
    private static EncryptionMethod requestObjectEnc(Map<String, Object> doc) {
        List<String> offered = list(doc, "request_object_encryption_enc_values_supported");
        if (offered == null) {
            return EncryptionMethod.A128CBC_HS256;
        }
        for (String name : offered) {
            EncryptionMethod method = EncryptionMethod.parse(name);
            if (SUPPORTED_ENC.contains(method)) {
                return method;
            }
        }
        throw misconfigured("DiscoveryRequestObjectEncryption", "none of the provider's request object encryptions "
                + JoseChecks.safe(offered) + " is supported");
    }

    /** When the provider lists what it supports, our configured choice must be among it. */
    private static void requireSupported(Map<String, Object> doc, String field, String value) {
        List<String> supported = list(doc, field);
        if (supported != null && !supported.contains(value)) {
            throw misconfigured("DiscoverySupports", "the provider's " + field + " " + JoseChecks.safe(supported)
                    + " does not include the configured " + value);
        }
    }

    private static List<String> list(Map<String, Object> doc, String field) {
        try {
            return JSONObjectUtils.getStringList(doc, field);
        } catch (ParseException e) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, DISCOVERY, field + " is not a list of strings");
        }
    }

    private static String string(Map<String, Object> doc, String field) {
        Object value = doc.get(field);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, DISCOVERY, "the discovery document has no " + field);
        }
        return text;
    }

    private static URI endpoint(Map<String, Object> doc, String field, boolean required) {
        if (!required && doc.get(field) == null) {
            return null;
        }
        String value = string(doc, field);
        try {
            URI uri = new URI(value);
            String host = uri.getHost();
            boolean loopback = "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
            // Codes, secrets and tokens travel to these endpoints: https only (plain http to loopback for tests).
            if (host != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()) && loopback)) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new ConnectorException(Kind.INVALID_RESPONSE, DISCOVERY, field + " is not an https URL");
    }

    private static ConnectorException misconfigured(String check, String message) {
        return new ConnectorException(Kind.MISCONFIGURED, check, message);
    }
}

package io.passerelle.connector.oidc;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.nimbusds.jose.JWSAlgorithm;

import io.passerelle.connector.ConnectorSettings;
import io.passerelle.connector.Loa;

/**
 * One {@code type: oidc} connector, as read and validated from config/connectors/&lt;id&gt;.yml by
 * {@link OidcConfigReader}. Everything a login needs is parsed here once, at start; nothing is parsed
 * per request. Durations are written {@code 500ms}, {@code 60s}, {@code 5m}, {@code 1h} or ISO-8601
 * ({@code PT1H}).
 *
 * <table>
 * <caption>Fields (besides the common id, type, display_name, logo, loa, enabled)</caption>
 * <tr><th>field</th><th>default</th><th>meaning</th></tr>
 * <tr><td>issuer</td><td>required</td><td>The provider's issuer, pinned: discovery's {@code issuer} and every ID
 *     token's {@code iss} must equal it character for character. https (http only for localhost).</td></tr>
 * <tr><td>discovery_uri</td><td>issuer + /.well-known/openid-configuration</td><td>Where the provider metadata
 *     is fetched from (lazily, then cached).</td></tr>
 * <tr><td>client_id</td><td>required</td><td>Passerelle's client id at the provider.</td></tr>
 * <tr><td>client_auth</td><td>required</td><td>{@code client_secret_basic} or {@code private_key_jwt} (RFC 7523,
 *     signed with Passerelle's active key; the provider reads Passerelle's JWKS).</td></tr>
 * <tr><td>client_secret</td><td>required with client_secret_basic, refused otherwise</td><td>A {@code ${VAR}}
 *     reference to an environment variable or property; never a literal.</td></tr>
 * <tr><td>client_auth_signing_alg</td><td>RS256</td><td>RS256, PS256 or ES256: which of Passerelle's keys signs
 *     the client assertion.</td></tr>
 * <tr><td>scopes</td><td>[openid]</td><td>Scopes asked; must contain openid.</td></tr>
 * <tr><td>extra_scopes</td><td>[]</td><td>Appended to scopes, e.g. {@code service:CITY_PORTAL} for itsme.</td></tr>
 * <tr><td>request_object</td><td>none</td><td>{@code none}, {@code signed} or {@code signed_and_encrypted}: send
 *     the authorization parameters as a request object (RFC 9101), signed by Passerelle and optionally encrypted
 *     to the provider's {@code use=enc} RSA key (RSA-OAEP-256).</td></tr>
 * <tr><td>request_object_signing_alg</td><td>RS256</td><td>RS256, PS256 or ES256.</td></tr>
 * <tr><td>id_token_signing_alg</td><td>required</td><td>The only algorithm accepted on ID tokens: RS256/384/512,
 *     PS256/384/512 or ES256/384/512. {@code none} and HS* are refused.</td></tr>
 * <tr><td>id_token_encrypted</td><td>false</td><td>true: ID tokens must be JWEs (RSA-OAEP-256) to Passerelle's
 *     encryption key around the signed token, and a merely signed one is refused; false: a JWE is refused.</td></tr>
 * <tr><td>userinfo</td><td>false</td><td>{@code false} (claims from the ID token only), {@code plain} (JSON),
 *     {@code signed} or {@code signed_and_encrypted}: call the UserInfo endpoint and require that form.</td></tr>
 * <tr><td>userinfo_signing_alg</td><td>id_token_signing_alg</td><td>Pinned algorithm of a signed UserInfo.</td></tr>
 * <tr><td>request_acr</td><td>none sent</td><td>LoA name (low, substantial, high) to the {@code acr_values} sent
 *     when that LoA is required; the lowest entry that satisfies the requirement is sent.</td></tr>
 * <tr><td>acr_mapping</td><td>none</td><td>Returned {@code acr} to LoA name. When set, an ID token without acr or
 *     with an unmapped one is refused; when absent the achieved LoA is {@code loa}.</td></tr>
 * <tr><td>claims_request</td><td>none</td><td>Claim name to {@code essential} or {@code voluntary}: sent as the
 *     OIDC {@code claims} parameter (id_token member, and userinfo member when userinfo is on).</td></tr>
 * <tr><td>claim_mapping</td><td>{}</td><td>Upstream claim name to Passerelle claim name. An allowlist: only these
 *     claims reach the citizen's attributes. {@code national_number} values are checked (11 digits, mod 97).</td></tr>
 * <tr><td>amr</td><td>[]</td><td>amr values (RFC 8176) used when the ID token carries none.</td></tr>
 * <tr><td>max_age</td><td>not sent</td><td>Sent as {@code max_age}; auth_time is then required and checked.</td></tr>
 * <tr><td>clock_skew</td><td>60s</td><td>Tolerance on exp, iat, nbf and auth_time; at most 300s.</td></tr>
 * <tr><td>connect_timeout</td><td>2s</td><td>TCP/TLS connect timeout of every call to the provider (100ms-30s).</td></tr>
 * <tr><td>read_timeout</td><td>5s</td><td>Time allowed for the provider's answer (100ms-60s).</td></tr>
 * <tr><td>discovery_refresh</td><td>1h</td><td>How long the discovery document is used before re-fetching it; a
 *     failed refresh keeps the previous document (1m-7d).</td></tr>
 * <tr><td>jwks_min_refresh_interval</td><td>30s</td><td>An ID token with an unknown kid re-fetches the provider's
 *     JWKS at most this often (1s-1h).</td></tr>
 * </table>
 *
 * @param common                  the common fields, validated by the registry
 * @param issuer                  the pinned issuer, exactly as configured
 * @param discoveryUri            the discovery document URL
 * @param clientId                Passerelle's client id at the provider
 * @param clientAuth              how Passerelle authenticates at the token endpoint
 * @param clientSecret            the resolved secret for client_secret_basic, else null
 * @param clientAuthSigningAlg    the algorithm of the private_key_jwt assertion
 * @param scopes                  scopes then extra_scopes, without duplicates
 * @param requestObject           whether and how the authorization request is a request object
 * @param requestObjectSigningAlg the algorithm of the request object signature
 * @param idTokenSigningAlg       the one algorithm accepted on ID tokens
 * @param idTokenEncrypted        whether ID tokens must be (and only be) JWEs
 * @param userInfo                whether and in which form UserInfo is fetched
 * @param userInfoSigningAlg      the one algorithm accepted on a signed UserInfo
 * @param requestAcr              acr value to send per LoA
 * @param acrMapping              returned acr to LoA; empty means "the configured loa"
 * @param claimsRequest           claim name to essential (true) or voluntary (false)
 * @param claimMapping            upstream claim name to Passerelle claim name (the allowlist)
 * @param defaultAmr              amr used when the ID token has none
 * @param maxAge                  max_age to send, or null
 * @param clockSkew               tolerance on time claims
 * @param connectTimeout          connect timeout of every outbound call
 * @param readTimeout             response timeout of every outbound call
 * @param discoveryRefresh        lifetime of a fetched discovery document
 * @param jwksMinRefreshInterval  minimum time between two JWKS fetches for an unknown kid
 */
public record OidcConnectorConfig(ConnectorSettings common, String issuer, URI discoveryUri, String clientId,
                                  ClientAuth clientAuth, String clientSecret, JWSAlgorithm clientAuthSigningAlg,
                                  List<String> scopes, RequestObject requestObject,
                                  JWSAlgorithm requestObjectSigningAlg, JWSAlgorithm idTokenSigningAlg,
                                  boolean idTokenEncrypted, UserInfo userInfo, JWSAlgorithm userInfoSigningAlg,
                                  Map<Loa, String> requestAcr, Map<String, Loa> acrMapping,
                                  Map<String, Boolean> claimsRequest, Map<String, String> claimMapping,
                                  List<String> defaultAmr, Duration maxAge, Duration clockSkew,
                                  Duration connectTimeout, Duration readTimeout, Duration discoveryRefresh,
                                  Duration jwksMinRefreshInterval) {

    /** Token endpoint client authentication (OIDC Core 9). */
    public enum ClientAuth {
        CLIENT_SECRET_BASIC, PRIVATE_KEY_JWT
    }

    /** How the authorization request travels (RFC 9101). */
    public enum RequestObject {
        NONE, SIGNED, SIGNED_AND_ENCRYPTED
    }

    /** Whether UserInfo is called, and the only form its answer may take (OIDC Core 5.3.2). */
    public enum UserInfo {
        NONE, PLAIN, SIGNED, SIGNED_AND_ENCRYPTED;

        boolean jwt() {
            return this == SIGNED || this == SIGNED_AND_ENCRYPTED;
        }
    }

    public OidcConnectorConfig {
        Objects.requireNonNull(common, "common");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(clientId, "clientId");
        scopes = List.copyOf(scopes);
        EnumMap<Loa, String> acrValues = new EnumMap<>(Loa.class);
        acrValues.putAll(requestAcr);
        requestAcr = Collections.unmodifiableMap(acrValues);
        acrMapping = Collections.unmodifiableMap(new LinkedHashMap<>(acrMapping));
        claimsRequest = Collections.unmodifiableMap(new LinkedHashMap<>(claimsRequest));
        claimMapping = Collections.unmodifiableMap(new LinkedHashMap<>(claimMapping));
        defaultAmr = List.copyOf(defaultAmr);
    }

    /** The connector's configured level, also the cap on what it may claim to have achieved. */
    public Loa loa() {
        return common.loa();
    }

    @Override
    public String toString() {
        // The record's generated toString would print the client secret.
        return "OidcConnectorConfig[id=" + common.id() + ", issuer=" + issuer + ", clientId=" + clientId
                + ", clientAuth=" + clientAuth + ", requestObject=" + requestObject + ", idTokenSigningAlg="
                + idTokenSigningAlg + ", idTokenEncrypted=" + idTokenEncrypted + ", userInfo=" + userInfo + "]";
    }
}

package io.passerelle.issuer;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Makes discovery (OIDC Discovery 3, RFC 8414 2) list exactly what Passerelle supports. The server's
 * defaults also advertise grants, client authentication methods and features that Passerelle does
 * not offer to portals (client credentials, token exchange, mTLS, client_secret_jwt, DPoP...): a portal
 * reading them would pick something that then fails.
 */
public final class DiscoveryMetadata implements Consumer<Map<String, Object>> {

    public static final List<String> SIGNING_ALGORITHMS = List.of("RS256", "PS256", "ES256");
    public static final List<String> CLIENT_AUTH_METHODS = List.of("private_key_jwt", "client_secret_basic",
            "client_secret_post", "none");
    public static final List<String> SCOPES = List.of("openid", "profile", "email", "address", "phone",
            "national_number", "age", "offline_access");
    public static final List<String> ACR_VALUES = List.of("http://eidas.europa.eu/LoA/low",
            "http://eidas.europa.eu/LoA/substantial", "http://eidas.europa.eu/LoA/high");
    public static final List<String> CLAIMS = List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "acr",
            "amr", "sid", "azp", "at_hash", "given_name", "family_name", "name", "birthdate", "gender", "locale", "email",
            "email_verified", "address", "phone_number", "phone_number_verified", "national_number",
            "age_over_12", "age_over_16", "age_over_18");

    @Override
    public void accept(Map<String, Object> claims) {
        claims.put("response_types_supported", List.of("code"));
        claims.put("response_modes_supported", List.of("query"));
        claims.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
        claims.put("code_challenge_methods_supported", List.of("S256"));
        claims.put("token_endpoint_auth_methods_supported", CLIENT_AUTH_METHODS);
        claims.put("token_endpoint_auth_signing_alg_values_supported", SIGNING_ALGORITHMS);
        // Revocation and introspection need an authenticated client: public clients cannot use them.
        List<String> confidential = CLIENT_AUTH_METHODS.subList(0, 3);
        claims.put("revocation_endpoint_auth_methods_supported", confidential);
        claims.put("introspection_endpoint_auth_methods_supported", confidential);
        claims.put("scopes_supported", SCOPES);
        claims.put("authorization_response_iss_parameter_supported", true);
        claims.put("require_pushed_authorization_requests", false);
        claims.put("request_parameter_supported", false);
        claims.put("request_uri_parameter_supported", false);
        // OIDC Core 5.5, within the portal's scopes and the citizen's consent (ClaimsRequest).
        claims.put("claims_parameter_supported", true);
        claims.put("ui_locales_supported", List.of("fr", "nl", "de", "en"));
        claims.remove("tls_client_certificate_bound_access_tokens");
        claims.remove("dpop_signing_alg_values_supported");
        claims.remove("device_authorization_endpoint");
        claims.remove("registration_endpoint");
        if (claims.containsKey("issuer") && claims.containsKey("userinfo_endpoint")) {
            // OpenID Provider Configuration only (not the RFC 8414 document).
            claims.put("subject_types_supported", List.of("pairwise", "public"));
            claims.put("id_token_signing_alg_values_supported", SIGNING_ALGORITHMS);
            claims.put("acr_values_supported", ACR_VALUES);
            claims.put("claims_supported", CLAIMS);
            // OIDC Back-Channel Logout 1.0 (BackChannelLogout): logout tokens always carry sid.
            claims.put("backchannel_logout_supported", true);
            claims.put("backchannel_logout_session_supported", true);
        }
    }
}

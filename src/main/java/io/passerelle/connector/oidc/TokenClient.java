package io.passerelle.connector.oidc;

import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.nimbusds.jose.util.JSONObjectUtils;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;
import io.passerelle.connector.LoginContext;

/** Redeems the authorization code at the provider's token endpoint (OIDC Core 3.1.3.1-3.1.3.4). */
final class TokenClient {

    static final String STEP = "TokenRequest";
    private static final Pattern ERROR_CODE = Pattern.compile("[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]{1,64}");

    /** What the connector needs of a successful token response. */
    record Tokens(String accessToken, String idToken) {

        @Override
        public String toString() {
            return "Tokens[redacted]";
        }
    }

    private final OidcHttp http;
    private final ClientAuthentication clientAuthentication;

    TokenClient(OidcHttp http, ClientAuthentication clientAuthentication) {
        this.http = http;
        this.clientAuthentication = clientAuthentication;
    }

    Tokens redeem(ProviderMetadata metadata, String code, LoginContext login) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", login.callbackUri().toString());
        form.put("code_verifier", login.codeVerifier());
        clientAuthentication.addFormParameters(form, metadata.tokenEndpoint().toString());
        OidcHttp.Response response = http.postForm(metadata.tokenEndpoint(), form,
                clientAuthentication.authorizationHeader(), STEP);

        if (response.serverError()) {
            throw new ConnectorException(Kind.SERVER_ERROR, STEP, "the token endpoint answered HTTP " + response.status());
        }
        Map<String, Object> json = null;
        try {
            json = JSONObjectUtils.parse(response.text());
        } catch (ParseException e) {
            // handled per status below
        }
        if (response.status() >= 400 && response.status() < 500) {
            // RFC 6749 5.2: an error response. Only the error code is repeated (the description is free text).
            Object error = json == null ? null : json.get("error");
            String errorCode = error instanceof String s && ERROR_CODE.matcher(s).matches() ? s : "HTTP " + response.status();
            throw new ConnectorException(Kind.UPSTREAM_ERROR, STEP, "the token endpoint refused the code: " + errorCode);
        }
        if (response.status() != 200) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, "TokenResponse",
                    "the token endpoint answered HTTP " + response.status());
        }
        if (json == null) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, "TokenResponse", "the token response is not a JSON object");
        }
        String accessToken = string(json, "access_token");
        // RFC 6749 5.1 and OIDC Core 3.1.3.3: token_type is Bearer (case-insensitive).
        if (!"bearer".equalsIgnoreCase(string(json, "token_type"))) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, "TokenResponse", "token_type is not Bearer");
        }
        return new Tokens(accessToken, string(json, "id_token"));
    }

    private static String string(Map<String, Object> json, String field) {
        if (!(json.get(field) instanceof String value) || value.isBlank()) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, "TokenResponse", "the token response has no " + field);
        }
        return value;
    }
}

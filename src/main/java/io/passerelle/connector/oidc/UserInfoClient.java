package io.passerelle.connector.oidc;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.text.ParseException;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;
import io.passerelle.connector.oidc.OidcConnectorConfig.UserInfo;

/**
 * Fetches UserInfo with the access token (OIDC Core 5.3) when the connector is configured to, and accepts
 * only the configured form: plain JSON, a signed JWT, or a signed-then-encrypted JWT. A provider that
 * was registered for signed answers and sends JSON is refused rather than believed.
 */
final class UserInfoClient {

    static final String STEP = "UserInfo";

    private final OidcConnectorConfig config;
    private final OidcHttp http;
    private final ProviderJwtReader reader;

    UserInfoClient(OidcConnectorConfig config, OidcHttp http, ProviderJwtReader reader) {
        this.config = config;
        this.http = http;
        this.reader = reader;
    }

    Map<String, Object> fetch(ProviderMetadata metadata, String accessToken, String idTokenSubject) {
        boolean jwt = config.userInfo().jwt();
        OidcHttp.Response response = http.get(metadata.userInfoEndpoint(),
                jwt ? "application/jwt" : "application/json", "Bearer " + accessToken, STEP);
        if (response.serverError()) {
            throw new ConnectorException(Kind.SERVER_ERROR, STEP, "UserInfo answered HTTP " + response.status());
        }
        if (response.status() == 401 || response.status() == 403) {
            throw new ConnectorException(Kind.UPSTREAM_ERROR, STEP, "UserInfo refused the access token (HTTP "
                    + response.status() + ")");
        }
        if (response.status() != 200) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, STEP, "UserInfo answered HTTP " + response.status());
        }
        Map<String, Object> claims = jwt ? verified(metadata, response.text().trim()) : plain(response.text());
        // Core 5.3.2: the sub in UserInfo MUST equal the ID token's, or the answer is about someone else.
        Object sub = claims.get("sub");
        if (!(sub instanceof String s) || !MessageDigest.isEqual(s.getBytes(UTF_8), idTokenSubject.getBytes(UTF_8))) {
            throw JoseChecks.fail("UserInfoSubjectMatches", "UserInfo's sub is not the ID token's");
        }
        return claims;
    }

    private static Map<String, Object> plain(String body) {
        try {
            return JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            throw JoseChecks.fail("UserInfoResponse", "UserInfo is not a JSON object");
        }
    }

    /** Core 5.3.2: a signed answer SHOULD carry iss and aud; when it does, they must be the provider and us. */
    private Map<String, Object> verified(ProviderMetadata metadata, String body) {
        JWTClaimsSet claims = reader.read("UserInfo", body, config.userInfo() == UserInfo.SIGNED_AND_ENCRYPTED,
                config.userInfoSigningAlg(), metadata.jwksUri());
        if (claims.getIssuer() != null && !config.issuer().equals(claims.getIssuer())) {
            throw JoseChecks.fail("UserInfoIssuerMatches", "UserInfo's iss is not the pinned issuer");
        }
        List<String> audience = claims.getAudience();
        if (audience != null && !audience.isEmpty() && !audience.contains(config.clientId())) {
            throw JoseChecks.fail("UserInfoAudienceContainsClient", "UserInfo's aud does not contain the client_id");
        }
        return claims.getClaims();
    }
}

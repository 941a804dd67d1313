package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;

import org.junit.jupiter.api.Test;

/**
 * Issue 11, the {@code claims} request parameter (OIDC Core 5.5): single claims for the ID token or
 * userinfo, asked on the consent page like a scope's, never beyond the portal's allowed scopes or what
 * the citizen ticked; a malformed value is {@code invalid_request} at the portal.
 */
class ClaimsParameterTest extends AbstractCitizenLoginTest {

    @Test
    void aClaimAskedForUserinfoAloneIsConsentedAndLeavesInUserinfoNotTheIdToken() throws Exception {
        Login login = new Login(PortalFixture.CITY, "openid", "claims=" + enc("{\"userinfo\":{\"given_name\":null}}"));
        assertThat(location(login.signIn())).startsWith(fixture.issuer + "/consent?login=");
        assertThat(ticked(consentPage())).containsExactly("given_name");

        OIDCTokenResponse tokens = login.tokens(login.consent(claim -> true));
        IDTokenClaimsSet id = login.verify(tokens);
        assertThat(id.toJSONObject()).doesNotContainKeys("given_name", "family_name", "name", "email");
        HttpResponse<String> userInfo = userInfoByHeader(tokens.getOIDCTokens().getAccessToken().getValue());
        assertThat(userInfo.statusCode()).isEqualTo(200);
        assertThat(json(userInfo)).isEqualTo(Map.of("sub", id.getSubject().getValue(), "given_name", "Anna"));
    }

    @Test
    void aClaimAskedForTheIdTokenLeavesInTheIdTokenOnlyAndAnUntickedOneNowhere() throws Exception {
        Login login = new Login(PortalFixture.CITY, "openid", "claims="
                + enc("{\"id_token\":{\"given_name\":{\"essential\":true},\"family_name\":null}}"));
        login.signIn();
        assertThat(ticked(consentPage())).containsExactly("given_name", "family_name");

        OIDCTokenResponse tokens = login.tokens(login.consent(claim -> !claim.equals("family_name")));
        IDTokenClaimsSet id = login.verify(tokens);
        assertThat(id.getStringClaim("given_name")).isEqualTo("Anna");
        assertThat(id.toJSONObject()).doesNotContainKeys("family_name", "name");
        HttpResponse<String> userInfo = userInfoByHeader(tokens.getOIDCTokens().getAccessToken().getValue());
        assertThat(userInfo.statusCode()).isEqualTo(200);
        assertThat(json(userInfo)).as("asked for the ID token only").isEqualTo(Map.of("sub", id.getSubject().getValue()));
    }

    @Test
    void aClaimOutsideThePortalsAllowedScopesIsIgnoredNeverAskedNorReleased() throws Exception {
        // The region portal may have profile, not email; the citizen's key did prove an e-mail address.
        Login login = new Login(PortalFixture.REGION, "openid", "claims=" + enc(
                "{\"id_token\":{\"email\":{\"essential\":true},\"national_number\":null},"
                        + "\"userinfo\":{\"email\":null,\"given_name\":null}}"));
        login.signIn();
        assertThat(ticked(consentPage())).containsExactly("given_name");

        OIDCTokenResponse tokens = login.tokens(login.consent(claim -> true));
        IDTokenClaimsSet id = login.verify(tokens);
        assertThat(id.toJSONObject()).doesNotContainKeys("email", "email_verified", "national_number", "given_name");
        HttpResponse<String> userInfo = userInfoByHeader(tokens.getOIDCTokens().getAccessToken().getValue());
        assertThat(userInfo.statusCode()).isEqualTo(200);
        assertThat(json(userInfo)).isEqualTo(Map.of("sub", id.getSubject().getValue(), "given_name", "Anna"));
    }

    @Test
    void malformedClaimsAreInvalidRequestAtThePortal() throws Exception {
        for (String malformed : List.of("{\"userinfo\":", "[\"given_name\"]", "{\"userinfo\":[\"given_name\"]}",
                "{\"id_token\":{\"given_name\":true}}", "{\"id_token\":{\"given_name\":{\"essential\":\"yes\"}}}")) {
            Login login = new Login(PortalFixture.CITY, "openid", "claims=" + enc(malformed));
            HttpResponse<String> response = get(login.uri());
            assertThat(response.statusCode()).as(malformed).isEqualTo(302);
            assertThat(response.body()).isEmpty();
            assertThat(login.error(response)).as(malformed).isEqualTo("invalid_request");
            ErrorObject error = AuthorizationResponse.parse(URI.create(location(response))).toErrorResponse().getErrorObject();
            assertThat(error.getDescription()).isEqualTo("claims is not a valid JSON object");
        }
    }

    @Test
    void discoverySaysTheClaimsParameterIsSupported() {
        assertThat(op.supportsClaimsParam()).isTrue();
        assertThat(op.getClaims()).contains("name", "given_name", "family_name");
    }

    /** The claims the consent page offers, in order. */
    private static List<String> ticked(HttpResponse<String> page) {
        assertThat(page.statusCode()).isEqualTo(200);
        return Pattern.compile("name=\"claim\" value=\"([^\"]+)\"").matcher(page.body()).results()
                .map(match -> match.group(1)).toList();
    }
}

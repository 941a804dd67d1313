package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;

import org.junit.jupiter.api.Test;

/**
 * Issue 11, userinfo: the access token in a form body (RFC 6750 2.2), the protected resource metadata
 * its 401 names (RFC 9728), and {@code name} derived from the verified names under the profile consent.
 */
class UserInfoEndpointTest extends AbstractCitizenLoginTest {

    @Test
    void anAccessTokenInAFormEncodedBodyIsAcceptedLikeTheHeader() throws Exception {
        Login login = new Login(PortalFixture.CITY, "openid profile", null);
        login.signIn();
        OIDCTokenResponse tokens = login.tokens(login.consent(claim -> true));
        String subject = login.verify(tokens).getSubject().getValue();
        String accessToken = tokens.getOIDCTokens().getAccessToken().getValue();

        HttpResponse<String> byBody = browser.send(HttpRequest.newBuilder(op.getUserInfoEndpointURI())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("access_token=" + enc(accessToken))).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Object> expected = Map.of("sub", subject, "given_name", "Anna", "family_name", "Peeters",
                "name", "Anna Peeters");
        assertThat(byBody.statusCode()).isEqualTo(200);
        assertThat(byBody.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(byBody)).isEqualTo(expected);
        HttpResponse<String> byHeader = userInfoByHeader(accessToken);
        assertThat(byHeader.statusCode()).isEqualTo(200);
        assertThat(json(byHeader)).isEqualTo(expected);
    }

    @Test
    void aRequestWithoutTokenIsToldWhereTheResourceMetadataIsAndThatDocumentIsServed() throws Exception {
        HttpResponse<String> refused = browser.send(HttpRequest.newBuilder(op.getUserInfoEndpointURI())
                        .header("Accept", "application/json").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().allValues("WWW-Authenticate")).containsExactly(
                "Bearer resource_metadata=\"" + fixture.issuer + "/.well-known/oauth-protected-resource/userinfo\"");
        assertThat(refused.body()).isEmpty();

        HttpResponse<String> metadata = browser.send(HttpRequest.newBuilder(
                URI.create(fixture.issuer + "/.well-known/oauth-protected-resource/userinfo"))
                        .header("Accept", "application/json").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(metadata)).isEqualTo(Map.of(
                "resource", fixture.issuer + "/userinfo",
                "authorization_servers", List.of(fixture.issuer),
                "bearer_methods_supported", List.of("header", "body"),
                "scopes_supported", List.of("openid"),
                "tls_client_certificate_bound_access_tokens", false));
    }

    @Test
    void nameIsOneMoreLineOfTheProfileConsentAndLeavesInTheIdTokenAndUserinfo() throws Exception {
        Login login = new Login(PortalFixture.CITY, "openid profile", null);
        assertThat(location(login.signIn())).startsWith(fixture.issuer + "/consent?login=");
        HttpResponse<String> page = consentPage();
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"claim\" value=\"name\"").contains("Full name")
                .contains("<span class=\"claim-value\">Anna Peeters</span>");
        assertThat(java.util.regex.Pattern.compile("name=\"claim\" value=\"([^\"]+)\"").matcher(page.body()).results()
                .map(match -> match.group(1)).toList()).containsExactly("given_name", "family_name", "name");

        OIDCTokenResponse tokens = login.tokens(login.consent(claim -> true));
        IDTokenClaimsSet id = login.verify(tokens);
        assertThat(id.getStringClaim("name")).isEqualTo("Anna Peeters");
        assertThat(json(userInfoByHeader(tokens.getOIDCTokens().getAccessToken().getValue())))
                .containsEntry("name", "Anna Peeters");
        assertThat(op.getClaims()).contains("name");
    }

    @Test
    void nameRefusedOnTheConsentPageIsNotReleased() throws Exception {
        Login login = new Login(PortalFixture.CITY, "openid profile", null);
        login.signIn();
        OIDCTokenResponse tokens = login.tokens(login.consent(claim -> !claim.equals("name")));
        IDTokenClaimsSet id = login.verify(tokens);
        assertThat(id.toJSONObject()).containsEntry("given_name", "Anna").doesNotContainKey("name");
        HttpResponse<String> userInfo = userInfoByHeader(tokens.getOIDCTokens().getAccessToken().getValue());
        assertThat(userInfo.statusCode()).isEqualTo(200);
        assertThat(json(userInfo)).isEqualTo(Map.of("sub", id.getSubject().getValue(), "given_name", "Anna",
                "family_name", "Peeters"));
    }
}

package io.passerelle.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The claims request parameter as OIDC Core 5.5 writes it, and what is refused as malformed. */
class ClaimsRequestTest {

    @Test
    void claimsPerDestinationWithTheirRequests() {
        ClaimsRequest claims = ClaimsRequest.parse("{\"id_token\":{\"given_name\":{\"essential\":true},\"acr\":"
                + "{\"essential\":true,\"values\":[\"a\",\"b\"]}},\"userinfo\":{\"email\":null},\"other\":1}");
        assertThat(claims.askedFor(ClaimsRequest.Destination.ID_TOKEN)).containsExactly("given_name", "acr");
        assertThat(claims.askedFor(ClaimsRequest.Destination.USERINFO)).containsExactly("email");
        assertThat(claims.names()).containsExactly("given_name", "acr", "email");
        assertThat(claims.idToken().get("given_name")).isEqualTo(Map.of("essential", true));
        assertThat(claims.userInfo().get("email")).isEqualTo(Map.of());
        assertThat(claims.essentialAcrValues()).containsExactly("a", "b");
    }

    @Test
    void absentOrBlankIsNoRequestAndAVoluntaryAcrIsNotEssential() {
        assertThat(ClaimsRequest.parse(null)).isEqualTo(ClaimsRequest.NONE);
        assertThat(ClaimsRequest.parse(" ")).isEqualTo(ClaimsRequest.NONE);
        assertThat(ClaimsRequest.parse("{\"id_token\":{\"acr\":{\"value\":\"a\"}}}").essentialAcrValues()).isNull();
        assertThat(ClaimsRequest.parse("{\"id_token\":{\"acr\":{\"essential\":true,\"value\":\"a\"}}}")
                .essentialAcrValues()).isEqualTo(List.of("a"));
    }

    @Test
    void malformedRequestsAreRefused() {
        for (String malformed : List.of("{", "[]", "\"x\"", "{\"userinfo\":[]}", "{\"id_token\":\"x\"}",
                "{\"id_token\":{\"given_name\":true}}", "{\"id_token\":{\"given_name\":{\"essential\":\"yes\"}}}",
                "{\"userinfo\":{\"email\":{\"values\":\"a\"}}}")) {
            assertThatThrownBy(() -> ClaimsRequest.parse(malformed)).as(malformed)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("claims is not a valid claims request (OIDC Core 5.5)");
        }
    }
}

package io.passerelle.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2Error;

/** What the citizen is told for each kind of failure. */
class ErrorPageControllerTest {

    @Test
    void oauthErrorsNameTheirCause() {
        assertThat(ErrorPageController.reason(400, new OAuth2Error("invalid_request", "OAuth 2.0 Parameter: client_id", null)))
                .isEqualTo("portal-unknown");
        assertThat(ErrorPageController.reason(400, new OAuth2Error("invalid_request", "OAuth 2.0 Parameter: redirect_uri", null)))
                .isEqualTo("redirect-uri");
        assertThat(ErrorPageController.reason(400, new OAuth2Error("invalid_request", "parameter state is too long", null)))
                .isEqualTo("request-invalid");
    }

    @Test
    void httpStatusesWithoutOauthError() {
        assertThat(ErrorPageController.reason(404, null)).isEqualTo("not-found");
        assertThat(ErrorPageController.reason(403, null)).isEqualTo("forbidden");
        assertThat(ErrorPageController.reason(500, null)).isEqualTo("server");
        assertThat(ErrorPageController.reason(502, null)).isEqualTo("server");
        // 503 is a database outage (DatabaseOutageFilter): "temporarily unavailable, try again in a few minutes".
        assertThat(ErrorPageController.reason(503, null)).isEqualTo("unavailable");
    }
}

package io.passerelle.authorize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

/**
 * The request-shape steps of the authorization endpoint, each with its good and bad cases: a refused
 * request gets the named error, redirected to the portal's registered URI (even when the request
 * named none), with the portal's state.
 */
class AuthorizeStepsTest {

    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private static final String CALLBACK = "https://portal.example/cb";

    static Stream<Arguments> refused() {
        return Stream.of(
                // step, PKCE required?, parameters, error code
                Arguments.of(new ProofKeyStep(), true, Map.of(), "invalid_request"),
                Arguments.of(new ProofKeyStep(), true, Map.of("code_challenge", CHALLENGE), "invalid_request"),
                Arguments.of(new ProofKeyStep(), true,
                        Map.of("code_challenge", CHALLENGE, "code_challenge_method", "plain"), "invalid_request"),
                Arguments.of(new ProofKeyStep(), false,
                        Map.of("code_challenge", CHALLENGE, "code_challenge_method", "plain"), "invalid_request"),
                Arguments.of(new ProofKeyStep(), true,
                        Map.of("code_challenge", "short", "code_challenge_method", "S256"), "invalid_request"),
                Arguments.of(new ProofKeyStep(), false, Map.of("code_challenge_method", "S256"), "invalid_request"),
                Arguments.of(new NonceWithoutProofKeyStep(), false, Map.of(), "invalid_request"),
                Arguments.of(new RequestObjectStep(), true, Map.of("request", "eyJhbGciOiJub25lIn0.e30."),
                        "request_not_supported"),
                Arguments.of(new RequestObjectStep(), true, Map.of("request", "x"), "request_not_supported"),
                Arguments.of(new PromptStep(), true, Map.of("prompt", "none login"), "invalid_request"),
                Arguments.of(new PromptStep(), true, Map.of("prompt", "consent none"), "invalid_request"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusesWithTheNamedErrorToTheRegisteredRedirectUri(Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> step,
                                                            boolean pkceRequired, Map<String, Object> parameters,
                                                            String error) {
        OAuth2AuthorizationCodeRequestAuthenticationException refused = catchThrowableOfType(
                OAuth2AuthorizationCodeRequestAuthenticationException.class,
                () -> step.accept(context(pkceRequired, parameters)));
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.getError().getErrorCode()).isEqualTo(error);
        assertThat(refused.getAuthorizationCodeRequestAuthentication().getRedirectUri()).isEqualTo(CALLBACK);
        assertThat(refused.getAuthorizationCodeRequestAuthentication().getState()).isEqualTo("st");
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of(new ProofKeyStep(), true, Map.of("code_challenge", CHALLENGE, "code_challenge_method", "S256")),
                Arguments.of(new ProofKeyStep(), false, Map.of()),
                Arguments.of(new NonceWithoutProofKeyStep(), false, Map.of("nonce", "n-1")),
                Arguments.of(new NonceWithoutProofKeyStep(), true, Map.of("code_challenge", CHALLENGE)),
                Arguments.of(new RequestObjectStep(), true, Map.of("request_uri_unrelated", "x")),
                Arguments.of(new PromptStep(), true, Map.of("prompt", "none")),
                Arguments.of(new PromptStep(), true, Map.of("prompt", "login consent")),
                Arguments.of(new PromptStep(), true, Map.of("prompt", "login login")));
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void letsAGoodRequestGoOn(Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> step, boolean pkceRequired,
                              Map<String, Object> parameters) {
        assertThatCode(() -> step.accept(context(pkceRequired, parameters))).doesNotThrowAnyException();
    }

    @Test
    void theTableRunsRequestChecksBeforeSignInAndConsent() {
        AuthorizeSteps table = new AuthorizeSteps(null, null, null, null);
        assertThat(table.steps()).extracting(AuthorizeStep::name).containsExactly(
                "redirect_uri registered, exact match", "scope beyond the portal's file audited",
                "scope allowed to the portal", "no request object", "PKCE S256", "nonce when there is no PKCE",
                "prompt values", "LoA demand, max_age, prompt: sign-in needed?", "minors served by the portal",
                "consent needed?");
        assertThat(table.steps()).allSatisfy(step -> assertThat(step.spec()).isNotBlank());
    }

    private static OAuth2AuthorizationCodeRequestAuthenticationContext context(boolean pkceRequired,
                                                                              Map<String, Object> parameters) {
        RegisteredClient client = RegisteredClient.withId("p").clientId("p").redirectUri(CALLBACK)
                .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE).scope("openid")
                .clientSettings(ClientSettings.builder().requireProofKey(pkceRequired).build()).build();
        var anonymous = new AnonymousAuthenticationToken("k", "anonymous", AuthorityUtils.createAuthorityList("ROLE_A"));
        var request = new OAuth2AuthorizationCodeRequestAuthenticationToken("https://op.example/oauth2/authorize", "p",
                anonymous, null, "st", Set.of("openid"), new LinkedHashMap<>(parameters));
        return OAuth2AuthorizationCodeRequestAuthenticationContext.with(request).registeredClient(client).build();
    }
}

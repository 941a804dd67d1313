package io.passerelle.authorize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.servlet.http.Cookie;

import io.passerelle.broker.BrowserCookie;
import io.passerelle.broker.LoginDemand;
import io.passerelle.broker.LoginTransaction;
import io.passerelle.broker.LoginTransactionStore;
import io.passerelle.connector.Callback;
import io.passerelle.connector.Connector;
import io.passerelle.connector.ConnectorRegistry;
import io.passerelle.connector.LoginContext;
import io.passerelle.connector.Loa;
import io.passerelle.connector.UpstreamIdentity;
import io.passerelle.identity.CitizenAuthentication;
import io.passerelle.portal.RegisteredClientFactory;
import io.passerelle.testsupport.MigratedDatabase;
import io.passerelle.testsupport.MutableClock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Sign-in needed? (OIDC Core 3.1.2.1, 3.1.2.6, 5.5.1.1) on whole requests: what is answered to the portal,
 * when the citizen must sign in (with what the request demands), and when the sign-in in the browser is
 * good enough, including a fresh sign-in that this very request started (its login record).
 */
class SignInNeededStepRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final String CALLBACK = "https://portal.example/cb";
    private final MutableClock clock = new MutableClock(NOW);
    private LoginTransactionStore logins;
    private SignInNeededStep step;
    private MockHttpServletRequest http;

    @BeforeEach
    void open() {
        logins = new LoginTransactionStore(JdbcClient.create(MigratedDatabase.h2()), clock);
        step = new SignInNeededStep(new ConnectorRegistry(List.of(connector("card", Loa.HIGH)), "http://gateway.test"),
                null, logins, clock);
        http = new MockHttpServletRequest("GET", "/oauth2/authorize");
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(http));
    }

    @AfterEach
    void close() {
        RequestContextHolder.resetRequestAttributes();
    }

    static Stream<Arguments> answeredToThePortal() {
        String essentialUnknown = "{\"id_token\":{\"acr\":{\"essential\":true,\"values\":[\"urn:unknown\"]}}}";
        return Stream.of(
                // parameters, signed in?, error
                Arguments.of(Map.of("prompt", "none"), false, "login_required"),
                Arguments.of(Map.of("prompt", "none", "max_age", "0"), true, "login_required"),
                Arguments.of(Map.of("max_age", "-1"), false, "invalid_request"),
                Arguments.of(Map.of("max_age", "soon"), false, "invalid_request"),
                Arguments.of(Map.of("claims", "{not json"), false, "invalid_request"),
                Arguments.of(Map.of("claims", essentialUnknown), false, "unmet_authentication_requirements"));
    }

    @ParameterizedTest
    @MethodSource("answeredToThePortal")
    void answersThePortalWithTheNamedError(Map<String, String> parameters, boolean signedIn, String error) {
        OAuth2AuthorizationCodeRequestAuthenticationException refused = catchThrowableOfType(
                OAuth2AuthorizationCodeRequestAuthenticationException.class,
                () -> step.accept(context("substantial", parameters, signedIn ? citizen(Loa.HIGH, NOW.minusSeconds(60)) : null)));
        assertThat(refused).isNotNull().isNotInstanceOf(InteractionRequired.class);
        assertThat(refused.getError().getErrorCode()).isEqualTo(error);
        assertThat(refused.getAuthorizationCodeRequestAuthentication().getRedirectUri()).isEqualTo(CALLBACK);
        assertThat(refused.getAuthorizationCodeRequestAuthentication().getState()).isEqualTo("st");
    }

    @Test
    void aLevelNoKeyReachesIsUnmet() {
        OAuth2AuthorizationCodeRequestAuthenticationException refused = catchThrowableOfType(
                OAuth2AuthorizationCodeRequestAuthenticationException.class,
                () -> new SignInNeededStep(new ConnectorRegistry(List.of(connector("app", Loa.SUBSTANTIAL)), "http://g"),
                        null, logins, clock).accept(context("high", Map.of(), null)));
        assertThat(refused.getError().getErrorCode()).isEqualTo("unmet_authentication_requirements");
    }

    @Test
    void withoutASignInTheCitizenSignsInForWhatTheRequestDemands() {
        http.setQueryString("client_id=p&ui_locales=nl");
        http.addParameter("client_id", "p");
        http.addParameter("ui_locales", "nl");
        InteractionRequired interaction = catchThrowableOfType(InteractionRequired.class, () -> step.accept(
                context("substantial", Map.of("ui_locales", "nl", "max_age", "600", "prompt", "login",
                        "idp_hint", "card", "acr_values", Loa.HIGH.uri()), null)));
        assertThat(interaction.kind()).isEqualTo(InteractionRequired.Kind.SIGN_IN);
        assertThat(interaction.getError().getErrorCode()).isEqualTo("interaction_required");
        LoginDemand demand = interaction.demand();
        assertThat(demand.clientId()).isEqualTo("p");
        assertThat(demand.redirectUri()).isEqualTo(CALLBACK);
        assertThat(demand.state()).isEqualTo("st");
        assertThat(demand.requiredLoa()).isEqualTo(Loa.HIGH);
        assertThat(demand.maxAge()).isEqualTo(600L);
        assertThat(demand.prompt()).containsExactly("login");
        assertThat(demand.uiLocales()).isEqualTo("nl");
        assertThat(demand.idpHint()).isEqualTo("card");
        assertThat(demand.resumeUrl()).isEqualTo("/oauth2/authorize?client_id=p&ui_locales=nl");
    }

    @Test
    void aSignInBelowTheLevelStepsUpAndAGoodOneGoesOn() {
        assertThat(catchThrowableOfType(InteractionRequired.class,
                () -> step.accept(context("high", Map.of(), citizen(Loa.SUBSTANTIAL, NOW.minusSeconds(60))))))
                .as("step-up").isNotNull();
        assertThatCode(() -> step.accept(context("substantial", Map.of("max_age", "600"),
                citizen(Loa.HIGH, NOW.minusSeconds(60))))).doesNotThrowAnyException();
    }

    @Test
    void promptLoginIsSatisfiedByTheSignInThisVeryRequestStarted() {
        http.addParameter("prompt", "login");
        http.setCookies(new Cookie(BrowserCookie.NAME, java.util.UUID.randomUUID().toString().repeat(2).substring(0, 43)));
        String browser = BrowserCookie.hashOf(http);
        CitizenAuthentication older = citizen(Loa.HIGH, NOW.minusSeconds(600));
        assertThat(catchThrowableOfType(InteractionRequired.class,
                () -> step.accept(context("substantial", Map.of("prompt", "login"), older)))).isNotNull();

        // The request sent the citizen upstream (its record), and the citizen came back signed in after that.
        String resumeUrl = LoginDemand.resumeUrlOf(http);
        LoginDemand demand = new LoginDemand("p", CALLBACK, "st", Loa.SUBSTANTIAL, null, null, Set.of("login"), null,
                null, NOW, resumeUrl);
        LoginTransaction login = new LoginTransaction("login-" + Math.random(), browser,
                LoginTransaction.requestKey(resumeUrl), demand, null, null, null, NOW, NOW.plus(Duration.ofMinutes(10)));
        logins.create(login);
        logins.startUpstream(login, new LoginTransaction.Upstream("card", "s-" + Math.random(), "n", "v", "en",
                NOW.plusSeconds(1)));
        clock.set(NOW.plusSeconds(20));
        assertThatCode(() -> step.accept(context("substantial", Map.of("prompt", "login"),
                citizen(Loa.HIGH, NOW.plusSeconds(15))))).doesNotThrowAnyException();
        assertThat(catchThrowableOfType(InteractionRequired.class,
                () -> step.accept(context("substantial", Map.of("prompt", "login"), older))))
                .as("a sign-in from before the request started does not count").isNotNull();
    }

    private static OAuth2AuthorizationCodeRequestAuthenticationContext context(String minimumLoa,
            Map<String, String> parameters, Authentication principal) {
        RegisteredClient client = RegisteredClient.withId("p").clientId("p").redirectUri(CALLBACK)
                .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE).scope("openid")
                .clientSettings(ClientSettings.builder().setting(RegisteredClientFactory.SETTING_MINIMUM_LOA, minimumLoa)
                        .build()).build();
        Authentication who = principal != null ? principal
                : new AnonymousAuthenticationToken("k", "anonymous", AuthorityUtils.createAuthorityList("ROLE_A"));
        var request = new OAuth2AuthorizationCodeRequestAuthenticationToken("https://op.example/oauth2/authorize", "p",
                who, null, "st", Set.of("openid"), new LinkedHashMap<>(parameters));
        return OAuth2AuthorizationCodeRequestAuthenticationContext.with(request).registeredClient(client).build();
    }

    private static CitizenAuthentication citizen(Loa loa, Instant authTime) {
        return CitizenAuthentication.of("c-1", "card", loa.uri(), List.of("hwk"), authTime);
    }

    private static Connector connector(String id, Loa loa) {
        return new Connector() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String type() {
                return "test";
            }

            @Override
            public Map<String, String> displayName() {
                return Map.of("en", id);
            }

            @Override
            public String logo() {
                return null;
            }

            @Override
            public Loa maxLoa() {
                return loa;
            }

            @Override
            public URI start(LoginContext login) {
                throw new UnsupportedOperationException("never started by the authorization endpoint's rules");
            }

            @Override
            public UpstreamIdentity finish(LoginContext login, Callback callback) {
                throw new UnsupportedOperationException("never finished by the authorization endpoint's rules");
            }
        };
    }
}

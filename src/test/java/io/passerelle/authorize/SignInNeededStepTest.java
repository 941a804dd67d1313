package io.passerelle.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import io.passerelle.connector.ConnectorRegistry;
import io.passerelle.connector.Loa;
import io.passerelle.portal.RegisteredClientFactory;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import io.passerelle.identity.CitizenAuthentication;

/** The sign-in policy's rules: required LoA (Core 3.1.2.1 acr_values), step-up, max_age and prompt=login. */
class SignInNeededStepTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    // The login store is read only for prompt=login and max_age, and these tests pass its answer directly.
    private final SignInNeededStep policy = new SignInNeededStep(new ConnectorRegistry(List.of(), "http://x"), null, null,
            Clock.fixed(NOW, ZoneOffset.UTC));

    private static RegisteredClient portal(String minimumLoa) {
        return RegisteredClient.withId("p").clientId("p").redirectUri("https://p.example/cb")
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .clientSettings(ClientSettings.builder().setting(RegisteredClientFactory.SETTING_MINIMUM_LOA, minimumLoa).build())
                .build();
    }

    @Test
    void requiredLoaIsThePortalMinimumOrTheLowestAskedLevelWhicheverIsHigher() {
        assertThat(SignInNeededStep.requiredLoa(portal("substantial"), null)).isEqualTo(Loa.SUBSTANTIAL);
        assertThat(SignInNeededStep.requiredLoa(portal("substantial"), Loa.HIGH.uri())).isEqualTo(Loa.HIGH);
        assertThat(SignInNeededStep.requiredLoa(portal("substantial"), Loa.HIGH.uri() + " " + Loa.SUBSTANTIAL.uri()))
                .as("any listed value is acceptable: the lowest counts").isEqualTo(Loa.SUBSTANTIAL);
        assertThat(SignInNeededStep.requiredLoa(portal("high"), Loa.LOW.uri()))
                .as("the portal's minimum always applies").isEqualTo(Loa.HIGH);
        assertThat(SignInNeededStep.requiredLoa(portal("low"), "urn:unknown:acr")).isEqualTo(Loa.LOW);
    }

    @Test
    void lowerSessionLevelNeedsStepUp() {
        CitizenAuthentication substantial = citizen(Loa.SUBSTANTIAL, NOW.minusSeconds(60));
        assertThat(policy.reasonForNewSignIn(substantial, Loa.HIGH, Set.of(), null, () -> null)).isPresent();
        assertThat(policy.reasonForNewSignIn(substantial, Loa.SUBSTANTIAL, Set.of(), null, () -> null)).isEmpty();
        assertThat(policy.reasonForNewSignIn(substantial, Loa.LOW, Set.of(), null, () -> null)).isEmpty();
    }

    @Test
    void maxAgeCountsFromTheUpstreamSignIn() {
        CitizenAuthentication citizen = citizen(Loa.HIGH, NOW.minusSeconds(600));
        assertThat(policy.reasonForNewSignIn(citizen, Loa.HIGH, Set.of(), 300L, () -> null)).isPresent();
        assertThat(policy.reasonForNewSignIn(citizen, Loa.HIGH, Set.of(), 900L, () -> null)).isEmpty();
    }

    @Test
    void promptLoginIsSatisfiedOnlyByASignInThatStartedForIt() {
        CitizenAuthentication older = citizen(Loa.HIGH, NOW.minusSeconds(600));
        assertThat(policy.reasonForNewSignIn(older, Loa.HIGH, Set.of("login"), null, () -> null)).isPresent();
        assertThat(policy.reasonForNewSignIn(older, Loa.HIGH, Set.of("login"), null, () -> NOW.minusSeconds(30)))
                .as("signed in before this login started").isPresent();
        CitizenAuthentication fresh = citizen(Loa.HIGH, NOW.minusSeconds(10));
        assertThat(policy.reasonForNewSignIn(fresh, Loa.HIGH, Set.of("login"), 0L, () -> NOW.minusSeconds(30))).isEmpty();
    }

    private static CitizenAuthentication citizen(Loa loa, Instant authTime) {
        return CitizenAuthentication.of("c-1", "k", loa.uri(), List.of("pwd"), authTime);
    }
}

package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;
import io.passerelle.testsupport.MutableClock;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Failed client authentications are throttled (issue 11): an attacker hammering the region portal's
 * secret from other loopback addresses (127.0.0.2...) gets 429, while the real portal (127.0.0.1, right
 * secret) keeps working. Time is moved with the application's clock, never slept.
 */
@Import(ClientAuthThrottleIntegrationTest.Time.class)
class ClientAuthThrottleIntegrationTest extends AbstractIssuerIntegrationTest {

    static final MutableClock CLOCK = MutableClock.atNow();
    static final String THROTTLED = "{\"error\":\"invalid_client\",\"error_description\":"
            + "\"too many failed client authentications; retry later\"}";

    @TestConfiguration
    static class Time {
        @Bean
        @Primary
        Clock mutableClock() {
            return CLOCK;
        }
    }

    @DynamicPropertySource
    static void limits(DynamicPropertyRegistry registry) {
        registry.add("passerelle.client-auth-throttle.window", () -> "30s");
        registry.add("passerelle.client-auth-throttle.max-failures-per-address", () -> "5");
        registry.add("passerelle.client-auth-throttle.max-failures-per-client", () -> "8");
    }

    @Autowired
    AuditLog audit;

    @Test
    void attackersAreRefusedWhileTheRealPortalGoesOn() throws Exception {
        Instant start = CLOCK.instant();
        for (int i = 0; i < 5; i++) {
            assertRefusedSecret(introspect("127.0.0.2", "wrong-secret-" + i));
        }
        assertThrottled(introspect("127.0.0.2", "wrong-secret"), "30");
        assertThrottled(introspect("127.0.0.2", PortalFixture.REGION_SECRET), "30");
        assertRealPortalAnswered(introspect("127.0.0.1", PortalFixture.REGION_SECRET));

        // Another attacker address brings the client to its limit (8): from then on each address that
        // failed for it waits, a fresh address gets one try, and the real portal still goes through.
        CLOCK.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            assertRefusedSecret(introspect("127.0.0.3", "wrong-secret-" + i));
        }
        assertThrottled(introspect("127.0.0.3", "wrong-secret"), "20");
        assertRefusedSecret(introspect("127.0.0.4", "wrong-secret"));
        assertThrottled(introspect("127.0.0.4", "wrong-secret"), "20");
        assertRealPortalAnswered(introspect("127.0.0.1", PortalFixture.REGION_SECRET));

        // The windows end: the first attacker is answered again (and refused for its secret).
        CLOCK.advance(Duration.ofSeconds(21));
        assertRefusedSecret(introspect("127.0.0.2", "wrong-secret"));

        List<AuditEvent> throttled = audit.since(start, 100).stream()
                .filter(event -> event.type() == AuditType.CLIENT_AUTHENTICATION_THROTTLED).toList();
        assertThat(throttled).extracting(event -> event.details().get("limit") + " " + event.details().get("address")
                + " " + event.clientId()).containsExactly("address 127.0.0.2 region-portal", "client 127.0.0.3 region-portal");
    }

    private HttpResponse<String> introspect(String from, String secret) throws Exception {
        HttpClient client = HttpClient.newBuilder().localAddress(InetAddress.getByName(from)).build();
        String basic = Base64.getEncoder().encodeToString((PortalFixture.REGION + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + FIXTURE.port + "/oauth2/introspect"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString("token=not-a-token")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefusedSecret(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains(ClientAuthenticationEntryPoint.CHALLENGE);
        assertThat(response.body()).isEqualTo("{\"error\":\"invalid_client\"}");
    }

    private static void assertThrottled(HttpResponse<String> response, String retryAfter) {
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).contains(retryAfter);
        assertThat(response.body()).isEqualTo(THROTTLED);
    }

    private static void assertRealPortalAnswered(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"active\":false}");
    }
}

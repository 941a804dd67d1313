package io.passerelle.issuer.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;
import io.passerelle.testsupport.MutableClock;

import org.junit.jupiter.api.Test;

class ClientAuthThrottleTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final List<AuditEvent> events = new ArrayList<>();
    private final AuditLog audit = new AuditLog() {
        @Override
        public AuditEvent record(AuditEvent.Builder event) {
            AuditEvent recorded = event.at(clock.instant());
            events.add(recorded);
            return recorded;
        }

        @Override
        public List<AuditEvent> since(Instant from, int limit) {
            return events;
        }

        @Override
        public List<AuditEvent> byReference(String reference) {
            return List.of();
        }
    };

    private ClientAuthThrottle throttle(int perAddress, int perClient, int tracked) {
        return new ClientAuthThrottle(new ThrottleProperties(Duration.ofMinutes(1), perAddress, perClient, tracked), clock, audit);
    }

    @Test
    void anAddressPastItsLimitWaitsUntilItsWindowEnds() {
        ClientAuthThrottle throttle = throttle(3, 100, 10);
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.refusal("10.0.0.9", "city")).isEmpty();
            throttle.failed("10.0.0.9", "city");
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(throttle.refusal("10.0.0.9", "city")).contains(Duration.ofSeconds(30));
        assertThat(throttle.refusal("10.0.0.9", "another-client")).as("the address, whatever it claims")
                .contains(Duration.ofSeconds(30));
        assertThat(throttle.refusal("10.0.0.1", "city")).as("another address").isEmpty();
        clock.advance(Duration.ofMillis(29_001));
        assertThat(throttle.refusal("10.0.0.9", "city")).as("rounded up to whole seconds").contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofMillis(999));
        assertThat(throttle.refusal("10.0.0.9", "city")).isEmpty();

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(AuditType.CLIENT_AUTHENTICATION_THROTTLED);
            assertThat(event.clientId()).isEqualTo("city");
            assertThat(event.reason()).isEqualTo("3 failed client authentications from one address within PT1M:"
                    + " the address is refused until the window ends");
            assertThat(event.details()).containsEntry("address", "10.0.0.9").containsEntry("limit", "address");
        });
    }

    @Test
    void aClientPastItsLimitSlowsOnlyTheAddressesThatFailedForIt() {
        ClientAuthThrottle throttle = throttle(100, 4, 10);
        for (String attacker : List.of("10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5")) {
            throttle.failed(attacker, "city");
        }
        assertThat(throttle.refusal("10.0.0.2", "city")).contains(Duration.ofSeconds(60));
        assertThat(throttle.refusal("10.0.0.2", "region")).as("only for that client").isEmpty();
        assertThat(throttle.refusal("10.0.0.1", "city")).as("the real portal never failed").isEmpty();
        assertThat(throttle.refusal("10.0.0.6", "city")).as("a new address gets one try").isEmpty();
        throttle.failed("10.0.0.6", "city");
        assertThat(throttle.refusal("10.0.0.6", "city")).contains(Duration.ofSeconds(60));
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.reason()).isEqualTo("4 failed client authentications for this client within PT1M:"
                    + " each address that failed for it waits until the window ends");
            assertThat(event.details()).containsEntry("limit", "client").containsEntry("address", "10.0.0.5");
        });
    }

    @Test
    void memoryIsBoundedByForgettingTheLeastRecentlySeen() {
        ClientAuthThrottle throttle = throttle(1, 100, 2);
        throttle.failed("10.0.0.1", null);
        throttle.failed("10.0.0.2", null);
        throttle.failed("10.0.0.3", null);
        assertThat(throttle.refusal("10.0.0.1", null)).as("forgotten").isEmpty();
        assertThat(throttle.refusal("10.0.0.2", null)).isEqualTo(Optional.of(Duration.ofSeconds(60)));
        assertThat(throttle.refusal("10.0.0.3", null)).isEqualTo(Optional.of(Duration.ofSeconds(60)));
    }
}

package io.passerelle.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The consent ledger's contract, on H2 and on PostgreSQL. */
abstract class ConsentLedgerContract {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private ConsentLedger ledger;

    abstract DataSource database();

    @BeforeEach
    void open() {
        ledger = new JdbcConsentLedger(JdbcClient.create(database()));
    }

    private static Consent consent(String citizen, String client, Set<String> granted, Set<String> refused, Instant at) {
        return new Consent(citizen, client, granted, refused, at, at.plus(Duration.ofDays(180)));
    }

    @Test
    void aDecisionIsKeptPerCitizenAndPortalAndReplacedByTheNextOne() {
        ledger.record(consent("c1", "city", Set.of("given_name", "family_name"), Set.of("email"), NOW));
        ledger.record(consent("c1", "region", Set.of("national_number"), Set.of(), NOW.plusSeconds(1)));
        ledger.record(consent("c2", "city", Set.of(), Set.of("given_name"), NOW));

        Consent city = ledger.find("c1", "city").orElseThrow();
        assertThat(city.granted()).containsExactlyInAnyOrder("given_name", "family_name");
        assertThat(city.refused()).containsExactly("email");
        assertThat(city.expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(180)));

        ledger.record(consent("c1", "city", Set.of("given_name", "family_name", "email"), Set.of(), NOW.plusSeconds(5)));
        assertThat(ledger.find("c1", "city").orElseThrow().granted()).contains("email");
        assertThat(ledger.decisions("c1")).extracting(Consent::clientId).containsExactly("city", "region");
        assertThat(ledger.find("c2", "city").orElseThrow().granted()).isEmpty();
    }

    @Test
    void withdrawingRemovesOnlyThatDecision() {
        ledger.record(consent("c1", "city", Set.of("given_name"), Set.of(), NOW));
        ledger.record(consent("c1", "region", Set.of("given_name"), Set.of(), NOW));
        assertThat(ledger.withdraw("c1", "city")).isTrue();
        assertThat(ledger.withdraw("c1", "city")).as("a second withdrawal finds nothing").isFalse();
        assertThat(ledger.find("c1", "city")).isEmpty();
        assertThat(ledger.find("c1", "region")).isPresent();
    }

    @Test
    void receiptsAreListedNewestFirstWithNamesOnly() {
        ledger.released(new DataRelease("c1", "city", List.of("given_name", "national_number"), "high", NOW));
        ledger.released(new DataRelease("c1", "region", List.of(), "substantial", NOW.plusSeconds(60)));
        ledger.released(new DataRelease("c2", "city", List.of("email"), "low", NOW));
        List<DataRelease> releases = ledger.releases("c1", 10);
        assertThat(releases).extracting(DataRelease::clientId).containsExactly("region", "city");
        assertThat(releases.get(1).claims()).containsExactly("given_name", "national_number");
        assertThat(releases.get(1).loa()).isEqualTo("high");
        assertThat(releases.get(1).releasedAt()).isEqualTo(NOW.truncatedTo(ChronoUnit.MICROS));
        assertThat(ledger.releases("c1", 1)).hasSize(1);
    }

    @Test
    void aDecisionCoversWhatWasDecidedUntilItExpires() {
        Consent consent = consent("c1", "city", Set.of("email"), Set.of("given_name"), NOW);
        assertThat(consent.covers(List.of("email", "email_verified", "given_name"), NOW)).isTrue();
        assertThat(consent.covers(List.of("email", "family_name"), NOW)).as("asks for more").isFalse();
        assertThat(consent.covers(List.of("email"), NOW.plus(Duration.ofDays(180)))).as("expired").isFalse();
        assertThat(consent.grants("email_verified")).isTrue();
        assertThat(consent.grants("given_name")).isFalse();
    }
}

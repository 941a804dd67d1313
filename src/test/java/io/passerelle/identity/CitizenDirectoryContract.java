package io.passerelle.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.passerelle.connector.Loa;
import io.passerelle.connector.UpstreamIdentity;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The citizen directory's contract, on H2 and on PostgreSQL. */
abstract class CitizenDirectoryContract {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    private JdbcClient jdbc;
    private CitizenDirectory directory;

    abstract DataSource database();

    @BeforeEach
    void open() {
        jdbc = JdbcClient.create(database());
        directory = new CitizenDirectory(jdbc, Clock.systemUTC(), KEY);
    }

    private static UpstreamIdentity identity(String connector, String subject) {
        return new UpstreamIdentity(connector, subject, Loa.HIGH, List.of("hwk"), Instant.now(), Map.of());
    }

    @Test
    void sameKeySameCitizenAcrossInstances() {
        String first = directory.citizenFor(identity("eid", "85073003328"));
        CitizenDirectory restarted = new CitizenDirectory(jdbc, Clock.systemUTC(), KEY);
        assertThat(restarted.citizenFor(identity("eid", "85073003328"))).isEqualTo(first);
        assertThat(directory.citizenFor(identity("itsme", "85073003328"))).as("another connector: not linked yet")
                .isNotEqualTo(first);
        assertThat(directory.createdAt(first)).isPresent();
    }

    @Test
    void subjectsAreStoredOnlyAsKeyedHashes() {
        directory.citizenFor(identity("eid", "85073003328"));
        List<String> stored = jdbc.sql("SELECT subject_hash FROM citizen_link").query(String.class).list();
        assertThat(stored).singleElement().satisfies(hash -> {
            assertThat(hash).doesNotContain("85073003328").hasSize(64);
            assertThat(hash).isNotEqualTo(CitizenDirectory.subjectHash("another-key-another-key-another-k".getBytes(),
                    "eid", "85073003328"));
        });
    }

    @Test
    void linkedConnectorsNamesEachConnectorOnceSorted() {
        assertThat(directory.linkedConnectors()).isEmpty();
        directory.citizenFor(identity("itsme", "a"));
        directory.citizenFor(identity("eid", "85073003328"));
        directory.citizenFor(identity("itsme", "b"));
        assertThat(directory.linkedConnectors()).containsExactly("eid", "itsme");
    }

    private static UpstreamIdentity withNumber(String connector, String subject, String number) {
        return new UpstreamIdentity(connector, subject, Loa.HIGH, List.of("hwk"), Instant.now(),
                Map.of(CitizenDirectory.NATIONAL_NUMBER, number));
    }

    @Test
    void keysThatProveTheSameNationalNumberAreOneCitizen() {
        String byCard = directory.citizenFor(withNumber("eid", "85073003328", "85073003328"));
        String byApp = directory.citizenFor(withNumber("itsme", "itsme-user-code-1", "85073003328"));
        assertThat(byApp).isEqualTo(byCard);
        assertThat(directory.citizenFor(withNumber("itsme", "itsme-user-code-1", "85073003328"))).isEqualTo(byCard);
        assertThat(directory.citizenFor(withNumber("itsme", "itsme-user-code-2", "90010100120")))
                .as("another number is another person").isNotEqualTo(byCard);
    }

    @Test
    void aKeyWithoutNationalNumberIsItsOwnCitizenAndNeverLinkedOnOtherAttributes() {
        String byCard = directory.citizenFor(withNumber("eid", "85073003328", "85073003328"));
        UpstreamIdentity sameEmail = new UpstreamIdentity("social", "s-1", Loa.LOW, List.of("pwd"), Instant.now(),
                Map.of("email", "jan@example.be", "given_name", "Jan"));
        String bySocial = directory.citizenFor(sameEmail);
        assertThat(bySocial).isNotEqualTo(byCard);
        assertThat(directory.citizenFor(sameEmail)).isEqualTo(bySocial);
    }

    @Test
    void aKeyLinkedAloneIsRelinkedOnceItProvesANumberOfAKnownCitizen() {
        String byCard = directory.citizenFor(withNumber("eid", "85073003328", "85073003328"));
        String before = directory.citizenFor(identity("itsme", "itsme-user-code-1"));
        assertThat(before).isNotEqualTo(byCard);
        assertThat(directory.citizenFor(withNumber("itsme", "itsme-user-code-1", "85073003328"))).isEqualTo(byCard);
        assertThat(directory.citizenFor(identity("itsme", "itsme-user-code-1"))).isEqualTo(byCard);
    }

    @Test
    void nationalNumbersAreStoredOnlyAsKeyedHashes() {
        directory.citizenFor(withNumber("itsme", "itsme-user-code-1", "85073003328"));
        List<String> stored = jdbc.sql("SELECT number_hash FROM citizen_national_number").query(String.class).list();
        assertThat(stored).singleElement().satisfies(hash -> assertThat(hash).doesNotContain("85073003328").hasSize(64));
        String everything = jdbc.sql("SELECT connector_id || subject_hash || citizen_id FROM citizen_link")
                .query(String.class).list().toString();
        assertThat(everything).doesNotContain("85073003328");
    }
}

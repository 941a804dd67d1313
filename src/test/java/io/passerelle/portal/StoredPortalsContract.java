package io.passerelle.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditType;
import io.passerelle.audit.JdbcAuditLog;
import io.passerelle.testsupport.MutableClock;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link StoredPortals} on a migrated database, run on H2 and PostgreSQL: the dry run counts and deletes
 * nothing, removal deletes exactly the portal's rows with an audit event, a portal this node has a file for
 * and a portal nothing is stored for are refused.
 */
abstract class StoredPortalsContract {

    static final String OLD = "old-portal";
    static final String KEPT = "kept-portal";
    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");

    @TempDir
    Path clients;
    JdbcClient jdbc;
    JdbcAuditLog audit;
    StoredPortals portals;

    abstract DataSource database();

    @BeforeEach
    void seed() throws Exception {
        DataSource database = database();
        jdbc = JdbcClient.create(database);
        audit = new JdbcAuditLog(jdbc, new MutableClock(NOW));
        portals = new StoredPortals(jdbc, new TransactionTemplate(new DataSourceTransactionManager(database)), audit,
                clientId -> PortalFiles.present(List.of(clients), clientId));
        Files.writeString(clients.resolve(KEPT + ".yml"), "client_id: " + KEPT + "\n");
        store(OLD, 2, 1, 2, 3);
        store(KEPT, 1, 1, 1, 1);
        jdbc.sql("INSERT INTO data_release (id, citizen_id, client_id, claims, loa, released_at) VALUES (?, ?, ?, ?, ?, ?)")
                .params("r1", "citizen-0", OLD, "given_name", "substantial", Timestamp.from(NOW)).update();
    }

    @Test
    void theDryRunCountsEveryKindOfRowAndDeletesNothing() {
        assertThat(portals.count(OLD)).isEqualTo(new StoredPortalData(OLD, 2, 1, 2, 3, 1));

        assertThat(totals()).isEqualTo(Map.of("oauth2_authorization", 3, "oauth2_authorization_consent", 2,
                "consent", 3, "session_portal", 4, "oauth2_registered_client", 2, "data_release", 1));
        assertThat(audit.since(Instant.EPOCH, 10)).isEmpty();
    }

    @Test
    void removalDeletesThatPortalsRowsOnlyAndIsAuditedWithTheCounts() {
        assertThat(portals.remove(OLD, "cli:operator", "contract ended")).isEqualTo(new StoredPortalData(OLD, 2, 1, 2, 3, 1));

        // The kept portal's rows stay; so does the citizen's record of what the old portal received.
        assertThat(totals()).isEqualTo(Map.of("oauth2_authorization", 1, "oauth2_authorization_consent", 1,
                "consent", 1, "session_portal", 1, "oauth2_registered_client", 1, "data_release", 1));
        assertThat(portals.registered()).containsExactly(KEPT);
        assertThat(audit.since(Instant.EPOCH, 10)).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(AuditType.PORTAL_REMOVED);
            assertThat(event.actor()).isEqualTo("cli:operator");
            assertThat(event.clientId()).isEqualTo(OLD);
            assertThat(event.reason()).isEqualTo("contract ended");
            assertThat(event.occurredAt()).isEqualTo(NOW);
            assertThat(event.details()).isEqualTo(Map.of("authorizations", "2", "server_consents", "1",
                    "consent_decisions", "2", "session_portals", "3", "registered_client", "1"));
        });
        assertThatThrownBy(() -> portals.count(OLD)).isInstanceOf(StoredPortals.UnknownPortalException.class)
                .hasMessage("nothing is stored for portal 'old-portal'");
    }

    @Test
    void aPortalThisNodeHasAFileForIsRefusedEvenInADryRun() {
        String refusal = "portal 'kept-portal' is still configured on this node (its file kept-portal.yml is in a "
                + "clients folder): remove the file from every node first (each node lets the portal go "
                + "within passerelle.portals.reload-interval)";
        assertThatThrownBy(() -> portals.remove(KEPT, "cli:operator", "mistake"))
                .isInstanceOf(StoredPortals.PortalStillConfiguredException.class).hasMessage(refusal);
        assertThatThrownBy(() -> portals.count(KEPT))
                .isInstanceOf(StoredPortals.PortalStillConfiguredException.class).hasMessage(refusal);

        assertThat(totals()).containsEntry("oauth2_authorization", 3).containsEntry("oauth2_registered_client", 2);
        assertThat(audit.since(Instant.EPOCH, 10)).isEmpty();
    }

    @Test
    void aFileWithAnUpperCaseExtensionCountsAsConfigured() throws Exception {
        Files.writeString(clients.resolve(OLD + ".YAML"), "client_id: " + OLD + "\n");
        assertThat(portals.configuredHere(OLD)).isTrue();
        assertThatThrownBy(() -> portals.remove(OLD, "cli:operator", "why"))
                .isInstanceOf(StoredPortals.PortalStillConfiguredException.class);
    }

    @Test
    void nothingStoredIsUnknownAndAMalformedIdIsRefused() {
        assertThatThrownBy(() -> portals.remove("never-seen", "cli:operator", "why"))
                .isInstanceOf(StoredPortals.UnknownPortalException.class)
                .hasMessage("nothing is stored for portal 'never-seen'");
        assertThatThrownBy(() -> portals.count("../clients/kept-portal"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("client_id is required: the portal's client_id, e.g. city-portal");
        assertThat(audit.since(Instant.EPOCH, 10)).isEmpty();
    }

    @Test
    void leftoversOfAPortalWhoseRegistrationIsGoneCanStillBeRemoved() {
        // What the former start-up clean-up left behind: consent decisions of a client without a registration.
        jdbc.sql("INSERT INTO consent (citizen_id, client_id, granted_claims, refused_claims, granted_at, expires_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)").params("citizen-9", "gone-portal", "email", "", Timestamp.from(NOW),
                Timestamp.from(NOW.plusSeconds(3600))).update();

        assertThat(portals.count("gone-portal")).isEqualTo(new StoredPortalData("gone-portal", 0, 0, 1, 0, 0));
        assertThat(portals.remove("gone-portal", "admin:passerelle-admin/k1", "leftover"))
                .isEqualTo(new StoredPortalData("gone-portal", 0, 0, 1, 0, 0));
        assertThat(totals()).containsEntry("consent", 3);
    }

    @Test
    void notServedNamesTheRegisteredPortalsOutsideTheGivenSet() {
        assertThat(portals.notServed(List.of(KEPT))).containsExactly(OLD);
        assertThat(portals.notServed(List.of(KEPT, OLD))).isEmpty();
    }

    /** Rows of every kind for one portal; the registered client's id is its client_id, as Passerelle registers it. */
    private void store(String clientId, int authorizations, int serverConsents, int consents, int sessions) {
        jdbc.sql("INSERT INTO oauth2_registered_client (id, client_id, client_name, client_authentication_methods, "
                + "authorization_grant_types, scopes, client_settings, token_settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(clientId, clientId, clientId, "private_key_jwt", "authorization_code", "openid", "{}", "{}").update();
        for (int i = 0; i < authorizations; i++) {
            jdbc.sql("INSERT INTO oauth2_authorization (id, registered_client_id, principal_name, authorization_grant_type) "
                    + "VALUES (?, ?, ?, ?)").params(clientId + "-a" + i, clientId, "citizen-" + i, "authorization_code").update();
        }
        for (int i = 0; i < serverConsents; i++) {
            jdbc.sql("INSERT INTO oauth2_authorization_consent (registered_client_id, principal_name, authorities) "
                    + "VALUES (?, ?, ?)").params(clientId, "citizen-" + i, "SCOPE_openid").update();
        }
        for (int i = 0; i < consents; i++) {
            jdbc.sql("INSERT INTO consent (citizen_id, client_id, granted_claims, refused_claims, granted_at, expires_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)").params("citizen-" + i, clientId, "email", "", Timestamp.from(NOW),
                    Timestamp.from(NOW.plusSeconds(3600))).update();
        }
        for (int i = 0; i < sessions; i++) {
            jdbc.sql("INSERT INTO session_portal (sid, client_id, subject, principal_name, seen_at) VALUES (?, ?, ?, ?, ?)")
                    .params("sid-" + i, clientId, "sub-" + i, "citizen-" + i, Timestamp.from(NOW)).update();
        }
    }

    private Map<String, Integer> totals() {
        return Map.of("oauth2_authorization", rows("oauth2_authorization"),
                "oauth2_authorization_consent", rows("oauth2_authorization_consent"), "consent", rows("consent"),
                "session_portal", rows("session_portal"), "oauth2_registered_client", rows("oauth2_registered_client"),
                "data_release", rows("data_release"));
    }

    private int rows(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Integer.class).single();
    }
}

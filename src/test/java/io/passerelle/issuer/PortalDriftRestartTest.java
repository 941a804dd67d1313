package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.Tokens;

import io.passerelle.portal.StoredPortalData;
import io.passerelle.portal.StoredPortals;
import io.passerelle.testsupport.PostgresDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A node started without a portal's file (or a connector's) deletes nothing: the portal is refused, its
 * registration, authorizations, consent decisions and session rows stay for the nodes that still serve it,
 * and the start log names what this node does not serve. Run on H2 (file) and on PostgreSQL.
 */
@ExtendWith(OutputCaptureExtension.class)
class PortalDriftRestartTest {

    @Test
    void aRemovedFileDeletesNothingOnH2(CapturedOutput output) throws Exception {
        Path data = Files.createTempDirectory("passerelle-data");
        keepsEverything("jdbc:h2:file:" + data.resolve("passerelle") + ";DB_CLOSE_ON_EXIT=FALSE", "sa", output);
    }

    @Test
    void aRemovedFileDeletesNothingOnPostgres(CapturedOutput output) throws Exception {
        keepsEverything(PostgresDatabase.freshSchemaUrl(), PostgresDatabase.USER, output);
    }

    private void keepsEverything(String databaseUrl, String user, CapturedOutput output) throws Exception {
        PortalFixture fixture = new PortalFixture();

        Tokens issued;
        StoredPortalData before;
        try (ConfigurableApplicationContext first = fixture.startGateway(databaseUrl, user, Map.of())) {
            PortalClient portal = new PortalClient(fixture).connect();
            PortalClient.Grant grant = portal.codeFor(PortalFixture.CITY);
            issued = PortalClient.tokens(portal.exchange(grant.code(), grant.verifier())).getOIDCTokens();
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            Timestamp now = Timestamp.from(Instant.now());
            jdbc.sql("INSERT INTO consent (citizen_id, client_id, granted_claims, refused_claims, granted_at, expires_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)").params("citizen-x", PortalFixture.CITY, "email", "", now, now).update();
            jdbc.sql("INSERT INTO citizen (id, created_at) VALUES (?, ?)").params("citizen-x", now).update();
            jdbc.sql("INSERT INTO citizen_link (connector_id, subject_hash, citizen_id, linked_at, last_seen_at) "
                    + "VALUES (?, ?, ?, ?, ?)").params("retired-idp", "ab".repeat(32), "citizen-x", now, now).update();
            before = counts(jdbc);
            assertThat(before.authorizations()).isEqualTo(1);
            assertThat(before.consentDecisions()).isEqualTo(1);
            assertThat(before.registeredClient()).isEqualTo(1);
        }
        Files.delete(fixture.configDir.resolve("clients").resolve(PortalFixture.CITY + ".yml"));

        try (ConfigurableApplicationContext second = fixture.startGateway(databaseUrl, user, Map.of())) {
            fixture.portalWebServer.stop();
            assertThat(output.getOut()).contains("stored portals not served by this node (no file in its clients "
                    + "folders): [city-portal]; their registrations, authorizations and consents are kept.")
                    .contains("citizens are linked through connectors this node does not serve (no enabled file in its "
                            + "connectors folders): [retired-idp]; their links are kept")
                    .doesNotContain("no longer configured");
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            assertThat(counts(jdbc)).isEqualTo(before);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM citizen_link WHERE connector_id = 'retired-idp'")
                    .query(Integer.class).single()).isEqualTo(1);

            // Unknown to this node: its refresh token is refused at client authentication, not because it is gone.
            PortalClient portal = new PortalClient(fixture).connect();
            java.net.URI token = portal.op.getTokenEndpointURI();
            TokenResponse refused = TokenResponse.parse(new TokenRequest(token, portal.cityAuth(token),
                    new RefreshTokenGrant(issued.getRefreshToken())).toHTTPRequest().send());
            assertThat(refused.toErrorResponse().getErrorObject().getHTTPStatusCode()).isEqualTo(401);
            assertThat(refused.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_client");
            // Still there for the explicit, audited removal.
            assertThat(second.getBean(StoredPortals.class).count(PortalFixture.CITY)).isEqualTo(before);
        }
    }

    /** The city portal's rows, counted directly: StoredPortals.count refuses while the file is present. */
    private static StoredPortalData counts(JdbcClient jdbc) {
        String city = PortalFixture.CITY;
        return new StoredPortalData(city, count(jdbc, "SELECT COUNT(*) FROM oauth2_authorization WHERE registered_client_id = ?"),
                count(jdbc, "SELECT COUNT(*) FROM oauth2_authorization_consent WHERE registered_client_id = ?"),
                count(jdbc, "SELECT COUNT(*) FROM consent WHERE client_id = ?"),
                count(jdbc, "SELECT COUNT(*) FROM session_portal WHERE client_id = ?"),
                count(jdbc, "SELECT COUNT(*) FROM oauth2_registered_client WHERE client_id = ?"));
    }

    private static int count(JdbcClient jdbc, String sql) {
        return jdbc.sql(sql).param(PortalFixture.CITY).query(Integer.class).single();
    }
}

package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * POST /admin/portals/remove on the running gateway: signed admin assertions only, a dry run that counts,
 * a removal that deletes and is audited with the caller, a configured portal refused, an unknown one 404.
 */
class PortalAdminApiTest extends AbstractIssuerIntegrationTest {

    private static final ECKey ADMIN = adminKey();
    private static final String GONE = "gone-portal";

    @Autowired
    JdbcClient jdbc;
    @Autowired
    AuditLog audit;

    @DynamicPropertySource
    static void admin(DynamicPropertyRegistry registry) {
        registry.add("passerelle.admin.jwks", () -> new JWKSet(ADMIN.toPublicJWK()).toString(true));
    }

    @Test
    void aPortalNoNodeServesIsCountedThenRemovedAndAudited() throws Exception {
        Instant started = Instant.now().minusMillis(1);
        storeGonePortal();
        String dryRun = "{\"clientId\": \"gone-portal\", \"dryRun\": true}";
        HttpResponse<String> anonymous = KeyRotationIntegrationTest.adminCall("POST", "/admin/portals/remove", dryRun, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).isEmpty();

        HttpResponse<String> counted = call(dryRun);
        assertThat(counted.statusCode()).isEqualTo(200);
        assertThat(JSONObjectUtils.parse(counted.body())).isEqualTo(Map.of("clientId", GONE, "dryRun", true,
                "removed", false, "authorizations", 2L, "consentDecisions", 1L, "sessionPortals", 1L,
                "serverConsents", 0L, "registeredClient", 1L));
        assertThat(rows("oauth2_authorization")).isEqualTo(2);

        HttpResponse<String> noReason = call("{\"clientId\": \"gone-portal\"}");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(JSONObjectUtils.parse(noReason.body())).isEqualTo(Map.of("error", "invalid_request",
                "error_description", "reason is required (or dryRun: true): the audit trail records why a portal was removed"));

        HttpResponse<String> removed = call("{\"clientId\": \"gone-portal\", \"reason\": \"contract ended\"}");
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(JSONObjectUtils.parse(removed.body())).isEqualTo(Map.of("clientId", GONE, "dryRun", false,
                "removed", true, "authorizations", 2L, "consentDecisions", 1L, "sessionPortals", 1L,
                "serverConsents", 0L, "registeredClient", 1L));
        assertThat(rows("oauth2_authorization")).isZero();
        assertThat(rows("oauth2_registered_client")).isZero();
        List<AuditEvent> events = audit.since(started, 1000).stream().filter(e -> e.type() == AuditType.PORTAL_REMOVED).toList();
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.actor()).isEqualTo("admin:passerelle-admin/ops-1");
            assertThat(event.clientId()).isEqualTo(GONE);
            assertThat(event.reason()).isEqualTo("contract ended");
            assertThat(event.details()).isEqualTo(Map.of("authorizations", "2", "server_consents", "0",
                    "consent_decisions", "1", "session_portals", "1", "registered_client", "1"));
        });

        HttpResponse<String> again = call("{\"clientId\": \"gone-portal\", \"dryRun\": true}");
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(JSONObjectUtils.parse(again.body())).isEqualTo(Map.of("error", "unknown_portal",
                "error_description", "Nothing is stored for this client_id"));
    }

    @Test
    void aPortalThisNodeServesIsRefusedAndMalformedRequestsAre400() throws Exception {
        int cityRows = jdbc.sql("SELECT COUNT(*) FROM oauth2_registered_client WHERE client_id = ?")
                .param(PortalFixture.CITY).query(Integer.class).single();
        HttpResponse<String> refused = call("{\"clientId\": \"city-portal\", \"reason\": \"oops\"}");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(JSONObjectUtils.parse(refused.body())).isEqualTo(Map.of("error", "portal_still_configured",
                "error_description", "This node still has the portal's file: remove it from the clients folder of "
                        + "every node (each lets the portal go within its reload interval), then remove the portal's data"));
        assertThat(cityRows).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM oauth2_registered_client WHERE client_id = ?")
                .param(PortalFixture.CITY).query(Integer.class).single()).isEqualTo(1);

        HttpResponse<String> missing = call("{\"reason\": \"why\"}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(JSONObjectUtils.parse(missing.body())).isEqualTo(Map.of("error", "invalid_request",
                "error_description", "clientId is required: the portal's client_id, e.g. city-portal"));
        HttpResponse<String> traversal = call("{\"clientId\": \"../clients/city-portal\", \"dryRun\": true}");
        assertThat(traversal.statusCode()).isEqualTo(400);
        assertThat(JSONObjectUtils.parse(traversal.body())).containsEntry("error", "invalid_request");
        HttpResponse<String> notJson = call("[1]");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(JSONObjectUtils.parse(notJson.body())).isEqualTo(Map.of("error", "invalid_request",
                "error_description", "The body must be a JSON object"));
    }

    private void storeGonePortal() {
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.sql("INSERT INTO oauth2_registered_client (id, client_id, client_name, client_authentication_methods, "
                + "authorization_grant_types, scopes, client_settings, token_settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(GONE, GONE, GONE, "none", "authorization_code", "openid", "{}", "{}").update();
        for (int i = 0; i < 2; i++) {
            jdbc.sql("INSERT INTO oauth2_authorization (id, registered_client_id, principal_name, authorization_grant_type) "
                    + "VALUES (?, ?, ?, ?)").params(GONE + "-a" + i, GONE, "citizen-" + i, "authorization_code").update();
        }
        jdbc.sql("INSERT INTO consent (citizen_id, client_id, granted_claims, refused_claims, granted_at, expires_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)").params("citizen-0", GONE, "email", "", now, now).update();
        jdbc.sql("INSERT INTO session_portal (sid, client_id, subject, principal_name, seen_at) VALUES (?, ?, ?, ?, ?)")
                .params("sid-0", GONE, "sub-0", "citizen-0", now).update();
    }

    /** The gone portal's rows in a table keyed by registered_client_id, or client_id for the registration. */
    private int rows(String table) {
        String column = table.equals("oauth2_registered_client") ? "client_id" : "registered_client_id";
        return jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = ?").param(GONE)
                .query(Integer.class).single();
    }

    private static HttpResponse<String> call(String json) throws Exception {
        return KeyRotationIntegrationTest.adminCall("POST", "/admin/portals/remove", json,
                KeyRotationIntegrationTest.adminAssertion(ADMIN, FIXTURE.issuer + "/admin", Instant.now().plusSeconds(60)));
    }

    private static ECKey adminKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("ops-1").algorithm(JWSAlgorithm.ES256).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.passerelle.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;
import io.passerelle.connector.oidc.TestProvider;
import io.passerelle.issuer.PortalClient;
import io.passerelle.issuer.PortalFixture;
import io.passerelle.portal.PortalRegistry;
import io.passerelle.portal.PortalReload;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Connectors added, changed and removed while the gateway runs (issue 15, item 4), on one gateway for the class:
 * the chooser follows the files, a login started before a change finishes with the new settings, a login whose
 * connector is removed meanwhile ends on the citizen's page in their language (citizens' links stay), portals'
 * allowed_keys are re-checked both ways, and the admin API writes and deletes connector files. The reloads are
 * driven by calling the node's own polls (both intervals are 0 here); the watcher thread is checked in
 * {@link ConnectorReloadTest#theWatcherPicksUpAFile}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectorReloadGatewayTest {

    private final PortalFixture fixture = new PortalFixture();
    private final Path connectors = fixture.configDir.resolve("connectors");
    private final Path clients = fixture.configDir.resolve("clients");
    private final TestProvider provider = new TestProvider();
    private ECKey admin;
    private ConfigurableApplicationContext gateway;
    private ConnectorReload reload;
    private PortalReload portals;
    private AuditLog audit;

    @BeforeAll
    void start() throws Exception {
        admin = new ECKeyGenerator(Curve.P_256).keyID("ops-1").algorithm(JWSAlgorithm.ES256).generate();
        gateway = fixture.startGateway("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, Map.of(
                "passerelle.portals.reload-interval", "0", "passerelle.connectors.reload-interval", "0",
                "passerelle.admin.jwks", new JWKSet(admin.toPublicJWK()).toString(true),
                "MOVING_OP_SECRET", "s".repeat(40)));
        reload = gateway.getBean(ConnectorReload.class);
        portals = gateway.getBean(PortalReload.class);
        audit = gateway.getBean(AuditLog.class);
    }

    @AfterAll
    void stop() {
        gateway.close();
        provider.close();
        fixture.portalWebServer.stop();
    }

    @Test
    void aConnectorComesChangesAndGoesWhileLoginsRun() throws Exception {
        Instant started = Instant.now();
        Files.writeString(connectors.resolve("extra.yml"), testConnector("extra", "Extra key", "substantial"));
        assertThat(reload.poll().added()).containsExactly("extra");
        Browser browser = new Browser(fixture);
        assertThat(browser.chooser()).contains("Extra key").contains("Test card");

        // Started with the first version; the file changes before the provider answers: it finishes with the new one.
        URI upstream = browser.upstream("idp_hint=extra&ui_locales=fr");
        Files.writeString(connectors.resolve("extra.yml"), testConnector("extra", "Extra key v2", "substantial"));
        assertThat(reload.poll().changed()).containsExactly("extra");
        String answer = browser.redirect(browser.page(upstream));
        assertThat(answer).as("the login completes: a code for the portal").startsWith(PortalFixture.CALLBACK + "?code=");
        assertThat(browser.chooser()).contains("Extra key v2");

        // Started, then the connector is removed: the callback gets the citizen's page, in French, no stack trace.
        Browser second = new Browser(fixture);
        URI pending = second.upstream("idp_hint=extra&ui_locales=fr");
        Files.delete(connectors.resolve("extra.yml"));
        assertThat(reload.poll().removed()).containsExactly("extra");
        HttpResponse<String> page = second.page(pending);
        assertThat(page.statusCode()).as("the broker's status for a key that is not set up (misconfigured)").isEqualTo(500);
        assertThat(page.body()).contains("pas correctement configur").contains("PSL-").doesNotContain("Exception");
        assertThat(browser.chooser()).doesNotContain("Extra key").contains("Test card");

        // Nothing stored is deleted: the citizen's link through the removed key stays.
        assertThat(gateway.getBean(JdbcClient.class).sql("SELECT COUNT(*) FROM citizen_link WHERE connector_id = 'extra'")
                .query(Integer.class).single()).isEqualTo(1);
        assertThat(events(started, AuditType.CONNECTOR_RELOADED, "extra")).extracting(e -> e.details().get("added")
                + "/" + e.details().get("changed") + "/" + e.details().get("removed"))
                .containsExactly("extra//", "/extra/", "//extra");
    }

    @Test
    void aLoginWhoseProviderSettingsChangeMeanwhileEndsOnTheCitizensPage() throws Exception {
        Files.writeString(connectors.resolve("moving-op.yml"), oidcConnector(TestProvider.CLIENT_ID));
        assertThat(reload.poll().added()).containsExactly("moving-op");
        Browser browser = new Browser(fixture);
        Map<String, String> upstream = TestProvider.query(browser.upstream("idp_hint=moving-op&ui_locales=nl"));
        // The provider answers for the client the login started with; meanwhile the node moved to another client.
        provider.tokenReturns(TestProvider.sign(provider.idClaims(Instant.now(), upstream.get("nonce")).build()));
        Files.writeString(connectors.resolve("moving-op.yml"), oidcConnector("passerelle-client-2"));
        assertThat(reload.poll().changed()).containsExactly("moving-op");

        HttpResponse<String> page = browser.page(URI.create(fixture.issuer + "/broker/callback/moving-op?code=c0de&state="
                + upstream.get("state")));
        assertThat(page.statusCode()).as("an answer that fails the new checks: invalid-response").isEqualTo(400);
        assertThat(page.body()).contains("kon niet worden gecontroleerd").contains("PSL-").doesNotContain("Exception");
        String reference = page.body().replaceAll("(?s).*<code>(PSL-[A-Z0-9]+)</code>.*", "$1");
        assertThat(audit.byReference(reference)).singleElement()
                .satisfies(e -> assertThat(e.reason()).startsWith("invalid-response: IdToken"));
        Files.delete(connectors.resolve("moving-op.yml"));
        assertThat(reload.poll().removed()).containsExactly("moving-op");
    }

    @Test
    void allowedKeysAreCheckedWhenPortalsOrConnectorsReload() throws Exception {
        Instant started = Instant.now();
        Files.writeString(clients.resolve("keyed-portal.yml"), keyedPortal("[later-key]"));
        PortalReload.Outcome refused = portals.poll();
        assertThat(refused.added()).isEmpty();
        assertThat(refused.refused()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("allowed_keys[0]");
            assertThat(e.reason()).contains("names no configured key 'later-key'");
        });
        assertThat(events(started, AuditType.PORTAL_CONFIG_REFUSED, "keyed-portal")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("field", "allowed_keys[0]"));

        // The connector arrives: the portal refused for naming it is read again and applies.
        Files.writeString(connectors.resolve("later-key.yml"), testConnector("later-key", "Later key", "high"));
        assertThat(reload.poll().added()).containsExactly("later-key");
        PortalRegistry registry = gateway.getBean(PortalRegistry.class);
        assertThat(registry.portal("keyed-portal")).isPresent();

        // Its removal is refused while the portal names it; the connector stays served.
        Files.delete(connectors.resolve("later-key.yml"));
        ConnectorReload.Outcome kept = reload.poll();
        assertThat(kept.removed()).isEmpty();
        assertThat(kept.refused()).singleElement().satisfies(e ->
                assertThat(e.reason()).contains("portal keyed-portal (" + clients.resolve("keyed-portal.yml") + ", allowed_keys[0])"));
        assertThat(gateway.getBean(ConnectorRegistry.class).find("later-key")).isPresent();
        assertThat(events(started, AuditType.CONNECTOR_CONFIG_REFUSED, "later-key")).singleElement()
                .satisfies(e -> assertThat(e.connectorId()).isEqualTo("later-key"));

        // The portal lets the key go: the removal applies at the next look.
        Files.writeString(clients.resolve("keyed-portal.yml"), keyedPortal("[test-high]"));
        assertThat(portals.poll().changed()).containsExactly("keyed-portal");
        assertThat(reload.poll().removed()).containsExactly("later-key");
        Files.delete(clients.resolve("keyed-portal.yml"));
        assertThat(portals.poll().removed()).containsExactly("keyed-portal");

        // The admin API's portal write is checked the same way.
        HttpResponse<String> put = adminCall("PUT", "/admin/portals/keyed-portal", keyedPortal("[nowhere]"), admin);
        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(JSONObjectUtils.parse(put.body())).containsEntry("error", "invalid_portal_file")
                .containsEntry("field", "allowed_keys[0]");
        assertThat(clients.resolve("keyed-portal.yml")).doesNotExist();
    }

    @Test
    void theAdminApiWritesAndDeletesAConnectorFile() throws Exception {
        Instant started = Instant.now();
        String path = "/admin/connectors/admin-key";
        Path file = connectors.resolve("admin-key.yml");
        String good = testConnector("admin-key", "Admin key", "high");
        assertThat(adminCall("PUT", path, good, null).statusCode()).isEqualTo(401);
        assertThat(adminCall("DELETE", path + "?dryRun=true", null, null).statusCode()).isEqualTo(401);

        HttpResponse<String> bad = adminCall("PUT", path, good.replace("type: test", "type: saml"), admin);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSONObjectUtils.parse(bad.body())).containsEntry("error", "invalid_connector_file")
                .containsEntry("field", "type");
        assertThat(file).doesNotExist();
        assertThat(adminCall("PUT", "/admin/connectors/Bad..Id", good, admin).statusCode()).isEqualTo(400);

        HttpResponse<String> written = adminCall("PUT", path, good, admin);
        assertThat(written.statusCode()).isEqualTo(200);
        assertThat(JSONObjectUtils.parse(written.body())).containsEntry("added", List.of("admin-key"));
        assertThat(file).hasContent(good);
        assertThat(new Browser(fixture).chooser()).contains("Admin key");

        Files.writeString(clients.resolve("admin-portal.yml"), keyedPortal("[admin-key]").replace("keyed-portal", "admin-portal"));
        assertThat(portals.poll().added()).containsExactly("admin-portal");
        HttpResponse<String> dry = adminCall("DELETE", path + "?dryRun=true", null, admin);
        assertThat(dry.statusCode()).isEqualTo(200);
        Map<String, Object> dryRun = JSONObjectUtils.parse(dry.body());
        assertThat(dryRun).containsEntry("dryRun", true).containsEntry("served", true)
                .containsEntry("citizensLinked", false).containsEntry("files", List.of(file.toString()));
        assertThat((List<?>) dryRun.get("namedBy")).singleElement().asString().startsWith("portal admin-portal (");
        assertThat(file).as("a dry run deletes nothing").exists();
        HttpResponse<String> inUse = adminCall("DELETE", path, null, admin);
        assertThat(inUse.statusCode()).isEqualTo(409);
        assertThat(JSONObjectUtils.parse(inUse.body())).containsEntry("error", "connector_in_use");
        assertThat(file).exists();

        Files.delete(clients.resolve("admin-portal.yml"));
        assertThat(portals.poll().removed()).containsExactly("admin-portal");
        HttpResponse<String> deleted = adminCall("DELETE", path, null, admin);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(JSONObjectUtils.parse(deleted.body())).containsEntry("removed", List.of("admin-key"))
                .containsEntry("dryRun", false);
        assertThat(file).doesNotExist();
        assertThat(adminCall("DELETE", path, null, admin).statusCode()).isEqualTo(404);

        assertThat(events(started, AuditType.CONNECTOR_RELOADED, "admin-key")).extracting(AuditEvent::actor)
                .containsExactly("admin:passerelle-admin/ops-1", "admin:passerelle-admin/ops-1");
        assertThat(events(started, AuditType.CONNECTOR_CONFIG_REFUSED, "admin-key")).extracting(e -> e.details().get("field"))
                .containsExactly("type", "id");
    }

    /** The events of one connector or portal (tests share the gateway: another test's events are left out). */
    private List<AuditEvent> events(Instant since, AuditType type, String id) {
        return audit.since(since, 1000).stream().filter(e -> e.type() == type)
                .filter(e -> id.equals(e.connectorId()) || id.equals(e.clientId())
                        || List.of("added", "changed", "removed").stream().anyMatch(k -> id.equals(e.details().get(k))))
                .toList();
    }

    private HttpResponse<String> adminCall(String method, String path, String yaml, ECKey key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fixture.issuer + path))
                .method(method, yaml == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(yaml))
                .header("Content-Type", "application/yaml");
        if (key != null) {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                    new JWTClaimsSet.Builder().issuer("passerelle-admin").subject("passerelle-admin")
                            .audience(fixture.issuer + "/admin").issueTime(new java.util.Date())
                            .expirationTime(java.util.Date.from(Instant.now().plusSeconds(60)))
                            .jwtID(UUID.randomUUID().toString()).build());
            jwt.sign(new ECDSASigner(key));
            request.header("Authorization", "Bearer " + jwt.serialize());
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Connector type {@code test} (testonly.TestConnectorFactory): the callback comes straight back with a code. */
    private static String testConnector(String id, String name, String loa) {
        return """
                id: %s
                type: test
                display_name: {en: %s, fr: %s, nl: %s, de: %s}
                loa: %s
                subject: %s-user
                attributes: {given_name: Anna, family_name: Peeters}
                """.formatted(id, name, name, name, name, loa, id);
    }

    private String oidcConnector(String clientId) {
        return """
                id: moving-op
                type: oidc
                display_name: {en: Moving, fr: Mobile, nl: Bewegend, de: Beweglich}
                loa: substantial
                issuer: %s
                client_id: %s
                client_auth: client_secret_basic
                client_secret: ${MOVING_OP_SECRET}
                id_token_signing_alg: RS256
                """.formatted(provider.issuer, clientId);
    }

    private static String keyedPortal(String allowedKeys) {
        return """
                client_id: keyed-portal
                client_name: {en: Keyed, fr: Clé, nl: Sleutel, de: Schlüssel}
                redirect_uris: [https://keyed.example/cb]
                token_endpoint_auth_method: none
                scope: [openid]
                purpose: {en: Test, fr: Test, nl: Test, de: Test}
                allowed_keys: %s
                """.formatted(allowedKeys);
    }

    /** A citizen's browser on the city portal (the portal test client, seen from this package). */
    private static final class Browser extends PortalClient {

        Browser(PortalFixture fixture) throws Exception {
            super(fixture);
            connect();
        }

        HttpResponse<String> page(URI uri) throws Exception {
            return get(uri);
        }

        String redirect(HttpResponse<?> response) {
            return location(response);
        }

        /** Where a new login of the city portal sends the browser upstream (a hint names the key: no chooser). */
        URI upstream(String parameters) throws Exception {
            return upstreamFrom(get(URI.create(authorize(PortalFixture.CITY, PortalFixture.CALLBACK, new CodeVerifier())
                    + "&" + parameters)));
        }

        /** The key chooser of a new login of the city portal, in English. */
        String chooser() throws Exception {
            HttpResponse<String> authorize = get(URI.create(authorize(PortalFixture.CITY, PortalFixture.CALLBACK,
                    new CodeVerifier()) + "&prompt=login&ui_locales=en"));
            HttpResponse<String> page = get(URI.create(fixture.issuer + "/").resolve(location(authorize)));
            assertThat(page.statusCode()).isEqualTo(200);
            return page.body();
        }
    }
}

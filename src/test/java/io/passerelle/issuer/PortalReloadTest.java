package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;
import io.passerelle.portal.PortalRegistry;
import io.passerelle.portal.PortalReload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Portals added, changed and removed while the gateway runs (issue 15, item 4): a new file serves codes at
 * once, a changed one refuses its old redirect URI and key, a bad one is refused (log and audit) while the
 * portal keeps its previous version, and a removed one makes the portal unknown while its stored rows stay.
 * The reload is driven by calling the node's own poll (the interval is 0 here); {@link #theWatcherPicksUpAFile}
 * checks the thread that calls it in production, with a deadline; {@link #theAdminApiWritesAndDeletesAPortalFile}
 * the admin API's way to the same.
 */
@ExtendWith(OutputCaptureExtension.class)
class PortalReloadTest {

    private static final String NEW = "new-portal";
    private static final String MOVED = "https://new.example/cb";

    private final PortalFixture fixture = new PortalFixture();
    private final Path clients = fixture.configDir.resolve("clients");

    @Test
    void portalsComeChangeAndGoWithoutARestart(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext gateway = start("0")) {
            PortalReload reload = gateway.getBean(PortalReload.class);
            PortalRegistry registry = gateway.getBean(PortalRegistry.class);
            AuditLog audit = gateway.getBean(AuditLog.class);
            JdbcClient jdbc = gateway.getBean(JdbcClient.class);
            Instant started = Instant.now().minusSeconds(1);
            PortalClient browser = new PortalClient(fixture).connect();
            assertThat(reload.poll().applied()).as("nothing changed since start").isFalse();

            // Added: served at once, with its own key.
            write(NEW, PortalFixture.CALLBACK, fixture.cityKey);
            PortalReload.Outcome added = reload.poll();
            assertThat(added.added()).containsExactly(NEW);
            assertThat(added.changed()).isEmpty();
            PortalClient.Grant first = codeFor(browser, PortalFixture.CALLBACK);
            assertThat(exchange(browser, first, PortalFixture.CALLBACK, fixture.cityKey).indicatesSuccess()).isTrue();
            assertThat(reload.poll().applied()).as("a second look at unchanged files applies nothing").isFalse();

            // Changed: the old redirect URI and the old key are refused, the new ones work.
            write(NEW, MOVED, fixture.federalKey);
            assertThat(reload.poll().changed()).containsExactly(NEW);
            assertErrorPage(browser.get(browser.authorize(NEW, PortalFixture.CALLBACK, new CodeVerifier())),
                    "address it has not registered");
            PortalClient.Grant moved = codeFor(browser, MOVED);
            TokenResponse oldKey = exchange(browser, moved, MOVED, fixture.cityKey);
            assertThat(oldKey.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_client");
            assertThat(exchange(browser, moved, MOVED, fixture.federalKey).indicatesSuccess()).isTrue();

            // Refused: a bad version of the portal (and a valid new portal in the same reload).
            write(NEW, "http://evil.example/cb", fixture.federalKey);
            Files.writeString(clients.resolve("other-portal.yml"), portalFile("other-portal", MOVED, fixture.cityKey));
            PortalReload.Outcome refused = reload.poll();
            assertThat(refused.added()).containsExactly("other-portal");
            assertThat(refused.changed()).isEmpty();
            assertThat(refused.refused()).singleElement().satisfies(e -> {
                assertThat(e.file()).endsWith(NEW + ".yml");
                assertThat(e.field()).isEqualTo("redirect_uris[0]");
                assertThat(e.reason()).contains("https");
            });
            assertThat(output.getOut()).contains("portal file refused, the running configuration of this portal stays: "
                    + clients.resolve(NEW + ".yml") + " (field: redirect_uris[0]): must use https");
            TokenResponse kept = exchange(browser, codeFor(browser, MOVED), MOVED, fixture.federalKey);
            assertThat(kept.indicatesSuccess()).as("the previous version keeps working").isTrue();
            String accessToken = kept.toSuccessResponse().getTokens().getAccessToken().getValue();
            // Reported once: the same bad content left in place is not audited again at every look.
            Files.writeString(clients.resolve("other-portal.yml"), portalFile("other-portal", PortalFixture.CALLBACK,
                    fixture.cityKey));
            assertThat(reload.poll().changed()).containsExactly("other-portal");
            assertThat(events(audit, started, AuditType.PORTAL_CONFIG_REFUSED)).singleElement().satisfies(event -> {
                assertThat(event.clientId()).isEqualTo(NEW);
                assertThat(event.details()).containsEntry("field", "redirect_uris[0]")
                        .containsEntry("file", clients.resolve(NEW + ".yml").toString());
                assertThat(event.reason()).contains("must use https");
            });

            // Removed: unknown to this node, nothing stored deleted.
            int authorizations = count(jdbc, "SELECT COUNT(*) FROM oauth2_authorization WHERE registered_client_id = ?");
            assertThat(authorizations).isGreaterThanOrEqualTo(3);
            PortalClient.Grant unused = codeFor(browser, MOVED);
            Files.delete(clients.resolve(NEW + ".yml"));
            assertThat(reload.poll().removed()).containsExactly(NEW);
            assertThat(registry.findByClientId(NEW)).isNull();
            assertErrorPage(browser.get(URI.create(browser.authorize(NEW, MOVED, new CodeVerifier()) + "&ui_locales=en")),
                    "is not registered with Passerelle");
            TokenResponse unknown = exchange(browser, unused, MOVED, fixture.federalKey);
            assertThat(unknown.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_client");
            // Its tokens are unknown here too (their rows are kept for the nodes that still serve it).
            HttpResponse<String> userInfo = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    browser.op.getUserInfoEndpointURI()).header("Authorization", "Bearer " + accessToken).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(userInfo.statusCode()).as("as for a revoked token, not a server error").isEqualTo(401);
            assertThat(count(jdbc, "SELECT COUNT(*) FROM oauth2_authorization WHERE registered_client_id = ?"))
                    .isEqualTo(authorizations + 1);
            assertThat(count(jdbc, "SELECT COUNT(*) FROM oauth2_registered_client WHERE client_id = ?")).isEqualTo(1);

            List<AuditEvent> reloads = events(audit, started, AuditType.PORTAL_RELOADED);
            assertThat(reloads).extracting(e -> e.details().get("added")).containsExactly(NEW, "", "other-portal", "", "");
            assertThat(reloads).extracting(e -> e.details().get("changed")).containsExactly("", NEW, "", "other-portal", "");
            assertThat(reloads).extracting(e -> e.details().get("removed")).containsExactly("", "", "", "", NEW);
            assertThat(registry.clientIds()).contains(PortalFixture.CITY, "other-portal").doesNotContain(NEW);
        } finally {
            fixture.portalWebServer.stop();
        }
    }

    @Test
    void theWatcherPicksUpAFile() throws Exception {
        try (ConfigurableApplicationContext gateway = start("100ms")) {
            PortalRegistry registry = gateway.getBean(PortalRegistry.class);
            // Written aside and moved in, as operators should: the watcher never sees half a file.
            Path aside = clients.resolve(".new-portal.yml.tmp");
            Files.writeString(aside, portalFile(NEW, PortalFixture.CALLBACK, fixture.cityKey));
            Files.move(aside, clients.resolve(NEW + ".yml"), StandardCopyOption.ATOMIC_MOVE);
            Instant deadline = Instant.now().plusSeconds(10);
            while (registry.findByClientId(NEW) == null && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            assertThat(registry.findByClientId(NEW)).as("served within the deadline").isNotNull();
        } finally {
            fixture.portalWebServer.stop();
        }
    }

    @Test
    void theAdminApiWritesAndDeletesAPortalFile() throws Exception {
        ECKey admin = new ECKeyGenerator(Curve.P_256).keyID("ops-1").algorithm(JWSAlgorithm.ES256).generate();
        try (ConfigurableApplicationContext gateway = start("0",
                Map.of("passerelle.admin.jwks", new JWKSet(admin.toPublicJWK()).toString(true)))) {
            Instant started = Instant.now().minusSeconds(1);
            PortalClient browser = new PortalClient(fixture).connect();
            Path file = clients.resolve(NEW + ".yml");
            String good = portalFile(NEW, PortalFixture.CALLBACK, fixture.cityKey);
            assertThat(adminCall("PUT", good, null).statusCode()).isEqualTo(401);

            HttpResponse<String> bad = adminCall("PUT", portalFile(NEW, "http://evil.example/cb", fixture.cityKey), admin);
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(JSONObjectUtils.parse(bad.body())).containsEntry("error", "invalid_portal_file")
                    .containsEntry("field", "redirect_uris[0]");
            assertThat(file).doesNotExist();
            assertThat(events(gateway.getBean(AuditLog.class), started, AuditType.PORTAL_CONFIG_REFUSED)).singleElement()
                    .satisfies(event -> assertThat(event.details()).containsEntry("field", "redirect_uris[0]"));

            HttpResponse<String> written = adminCall("PUT", good, admin);
            assertThat(written.statusCode()).isEqualTo(200);
            assertThat(JSONObjectUtils.parse(written.body())).containsEntry("added", List.of(NEW));
            assertThat(file).hasContent(good);
            assertThat(exchange(browser, codeFor(browser, PortalFixture.CALLBACK), PortalFixture.CALLBACK,
                    fixture.cityKey).indicatesSuccess()).isTrue();

            HttpResponse<String> deleted = adminCall("DELETE", null, admin);
            assertThat(deleted.statusCode()).isEqualTo(200);
            assertThat(JSONObjectUtils.parse(deleted.body())).containsEntry("removed", List.of(NEW));
            assertThat(file).doesNotExist();
            assertThat(gateway.getBean(PortalRegistry.class).findByClientId(NEW)).isNull();
            assertThat(count(gateway.getBean(JdbcClient.class),
                    "SELECT COUNT(*) FROM oauth2_registered_client WHERE client_id = ?")).isEqualTo(1);
            assertThat(adminCall("DELETE", null, admin).statusCode()).isEqualTo(404);
            assertThat(events(gateway.getBean(AuditLog.class), started, AuditType.PORTAL_RELOADED))
                    .extracting(AuditEvent::actor).containsExactly("admin:passerelle-admin/ops-1", "admin:passerelle-admin/ops-1");
        } finally {
            fixture.portalWebServer.stop();
        }
    }

    private HttpResponse<String> adminCall(String method, String yaml, ECKey admin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fixture.issuer + "/admin/portals/" + NEW))
                .method(method, yaml == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(yaml))
                .header("Content-Type", "application/yaml");
        if (admin != null) {
            request.header("Authorization", "Bearer " + KeyRotationIntegrationTest.adminAssertion(admin,
                    fixture.issuer + "/admin", Instant.now().plusSeconds(60)));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private PortalClient.Grant codeFor(PortalClient browser, String redirectUri) throws Exception {
        browser.signIn("citizen-" + UUID.randomUUID(), PortalClient.LOA_SUBSTANTIAL, "");
        CodeVerifier verifier = new CodeVerifier();
        HttpResponse<String> response = browser.get(browser.authorize(NEW, redirectUri, verifier));
        AuthorizationResponse parsed = AuthorizationResponse.parse(URI.create(PortalClient.location(response)));
        return new PortalClient.Grant(parsed.toSuccessResponse().getAuthorizationCode(), verifier);
    }

    private static TokenResponse exchange(PortalClient browser, PortalClient.Grant grant, String redirectUri, RSAKey key)
            throws Exception {
        URI token = browser.op.getTokenEndpointURI();
        PrivateKeyJWT auth = new PrivateKeyJWT(new ClientID(NEW), token, JWSAlgorithm.RS256, key.toPrivateKey(),
                key.getKeyID(), null);
        return OIDCTokenResponseParser.parse(new TokenRequest(token, auth,
                new AuthorizationCodeGrant(grant.code(), URI.create(redirectUri), grant.verifier())).toHTTPRequest().send());
    }

    private void write(String clientId, String redirectUri, RSAKey key) throws Exception {
        Files.writeString(clients.resolve(clientId + ".yml"), portalFile(clientId, redirectUri, key));
    }

    private static String portalFile(String clientId, String redirectUri, RSAKey key) {
        return """
                client_id: %s
                client_name: {en: New, fr: Nouveau, nl: Nieuw, de: Neu}
                redirect_uris: [%s]
                token_endpoint_auth_method: private_key_jwt
                jwks: %s
                scope: [openid]
                purpose: {en: Testing, fr: Tests, nl: Testen, de: Testen}
                """.formatted(clientId, redirectUri, new JWKSet(key.toPublicJWK()).toString(true));
    }

    private static List<AuditEvent> events(AuditLog audit, Instant since, AuditType type) {
        return audit.since(since, 1000).stream().filter(e -> e.type() == type).toList();
    }

    private static int count(JdbcClient jdbc, String sql) {
        return jdbc.sql(sql).param(NEW).query(Integer.class).single();
    }

    private static void assertErrorPage(HttpResponse<String> response, String text) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.body()).contains(text).contains("PSL-").doesNotContain("Exception");
    }

    private ConfigurableApplicationContext start(String reloadInterval) {
        return start(reloadInterval, Map.of());
    }

    private ConfigurableApplicationContext start(String reloadInterval, Map<String, String> more) {
        Map<String, Object> properties = new LinkedHashMap<>(more);
        properties.put("passerelle.portals.reload-interval", reloadInterval);
        return fixture.startGateway("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, properties);
    }
}

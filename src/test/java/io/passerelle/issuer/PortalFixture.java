package io.passerelle.issuer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * The portals of the integration tests, written as real config/clients/*.yml files into a fresh
 * folder, with keys generated for this run (never committed key material).
 */
public final class PortalFixture {

    public static final String CITY = "city-portal";          // private_key_jwt (RS256), inline jwks
    public static final String REGION = "region-portal";      // client_secret_basic, ES256 ID tokens
    public static final String SPA = "spa-portal";            // public client (none) with PKCE
    public static final String FEDERAL = "federal-portal";    // private_key_jwt (PS256), keys at a jwks_uri
    public static final String TAX = "tax-portal";            // client_secret_basic, consent-exempt, trims scopes, aliases
    public static final String POST = "post-portal";          // client_secret_post, pkce optional; may introspect the city's tokens
    public static final String REGION_SECRET = "region-secret-" + UUID.randomUUID() + UUID.randomUUID();
    public static final String CALLBACK = "https://city.example/callback";
    public static final String LOGGED_OUT = "https://city.example/logged-out";
    public static final String CITY_LOGOUT = "/city/backchannel-logout";
    public static final String REGION_LOGOUT = "/region/backchannel-logout";
    public static final String FEDERAL_LOGOUT = "/federal/backchannel-logout";

    public final int port;
    public final String issuer;
    public final Path configDir;
    /** The master key of the gateways {@link #startGateway} starts: one per fixture, so a restart opens the same keys. */
    private final String masterKey = AbstractIssuerIntegrationTest.randomMasterKey();
    public final RSAKey cityKey;
    public final ECKey strangerKey;
    public final RSAKey federalKey;
    /** Serves the federal portal's JWKS, as the portal's own web server would. */
    public final WireMockServer portalWebServer;

    public PortalFixture() {
        try {
            port = freePort();
            issuer = "http://localhost:" + port;
            configDir = Files.createTempDirectory("passerelle-config");
            Files.createDirectories(configDir.resolve("clients"));
            Files.createDirectories(configDir.resolve("connectors"));
            // Test-only upstream providers (connector type "test", see testonly.TestConnectorFactory).
            Files.writeString(configDir.resolve("connectors/test-high.yml"), """
                    id: test-high
                    type: test
                    display_name: {en: Test card, fr: Carte test, nl: Testkaart, de: Testkarte}
                    loa: high
                    subject: card-holder
                    attributes: {given_name: Anna, family_name: Peeters, email: anna@example.org}
                    """);
            Files.writeString(configDir.resolve("connectors/test-substantial.yml"), """
                    id: test-substantial
                    type: test
                    display_name: {en: Test app, fr: App test, nl: Testapp, de: Test-App}
                    loa: substantial
                    subject: app-user
                    attributes: {given_name: Anna, family_name: Peeters}
                    """);
            cityKey = new RSAKeyGenerator(2048).keyID("city-1").generate();
            strangerKey = new ECKeyGenerator(Curve.P_256).keyID("city-1").generate();
            federalKey = new RSAKeyGenerator(2048).keyID("federal-2026").generate();
            portalWebServer = new WireMockServer(WireMockConfiguration.options().dynamicPort());
            portalWebServer.start();
            portalWebServer.stubFor(WireMock.get("/jwks.json").willReturn(WireMock.okJson(
                    new JWKSet(federalKey.toPublicJWK()).toString(true))));
            // Back-channel logout endpoints (OIDC Back-Channel Logout 1.0): the city and the region answer
            // at once; the federal portal's server hangs longer than the gateway waits.
            portalWebServer.stubFor(WireMock.post(CITY_LOGOUT).willReturn(WireMock.ok()));
            portalWebServer.stubFor(WireMock.post(WireMock.urlPathEqualTo(REGION_LOGOUT)).willReturn(WireMock.noContent()));
            portalWebServer.stubFor(WireMock.post(FEDERAL_LOGOUT).willReturn(WireMock.ok().withFixedDelay(8000)));
            write(FEDERAL, """
                    client_id: federal-portal
                    client_name: {en: Federal, fr: Fédéral, nl: Federaal, de: Föderal}
                    redirect_uris: [%s]
                    token_endpoint_auth_method: private_key_jwt
                    token_endpoint_auth_signing_alg: PS256
                    jwks_uri: http://localhost:%d/jwks.json
                    scope: [openid]
                    purpose: {en: Benefits, fr: Allocations, nl: Uitkeringen, de: Leistungen}
                    backchannel_logout_uri: http://localhost:%d%s
                    """.formatted(CALLBACK, portalWebServer.port(), portalWebServer.port(), FEDERAL_LOGOUT));
            write(CITY, """
                    client_id: city-portal
                    client_name: {en: City of Example, fr: Ville d'Exemple, nl: Stad Voorbeeld, de: Stadt Beispiel}
                    redirect_uris: [%s]
                    post_logout_redirect_uris: [%s]
                    token_endpoint_auth_method: private_key_jwt
                    token_endpoint_auth_signing_alg: RS256
                    jwks: %s
                    scope: [openid, profile, email, national_number]
                    legal_basis: "Test decree of 1 January 2026, art. 5 (civil registry)"
                    purpose: {en: Your city account, fr: Votre compte, nl: Uw account, de: Ihr Konto}
                    sector: city-of-example
                    backchannel_logout_uri: http://localhost:%d%s
                    introspection_clients: [post-portal]
                    """.formatted(CALLBACK, LOGGED_OUT, new JWKSet(cityKey.toPublicJWK()).toString(true),
                    portalWebServer.port(), CITY_LOGOUT));
            write(REGION, """
                    client_id: region-portal
                    client_name: {en: Region, fr: Région, nl: Regio, de: Region}
                    redirect_uris: [https://region.example/cb]
                    token_endpoint_auth_method: client_secret_basic
                    client_secret: ${REGION_PORTAL_SECRET}
                    scope: [openid, profile, offline_access]
                    purpose: {en: Taxes, fr: Impôts, nl: Belastingen, de: Steuern}
                    id_token_signed_response_alg: ES256
                    backchannel_logout_uri: http://localhost:%d%s?portal=region
                    """.formatted(portalWebServer.port(), REGION_LOGOUT));
            write(TAX, """
                    client_id: tax-portal
                    client_name: {en: Taxes, fr: Impôts, nl: Belastingen, de: Steuern}
                    redirect_uris: [https://tax.example/cb]
                    token_endpoint_auth_method: client_secret_basic
                    client_secret: ${REGION_PORTAL_SECRET}
                    scope: [openid, profile, national_number]
                    legal_basis: "Income tax code, art. 1 (test)"
                    purpose: {en: Your tax return, fr: Votre déclaration, nl: Uw aangifte, de: Ihre Erklärung}
                    consent_exempt: true
                    scope_policy: trim
                    claim_aliases: {national_number: egovNRN, given_name: givenName}
                    sector: federal-finance
                    """);
            write(POST, """
                    client_id: post-portal
                    client_name: {en: Post, fr: Poste, nl: Post, de: Post}
                    redirect_uris: [%s]
                    token_endpoint_auth_method: client_secret_post
                    client_secret: ${REGION_PORTAL_SECRET}
                    scope: [openid]
                    purpose: {en: Parcels, fr: Colis, nl: Pakjes, de: Pakete}
                    pkce: optional
                    """.formatted(CALLBACK));
            write(SPA, """
                    client_id: spa-portal
                    client_name: {en: App, fr: App, nl: App, de: App}
                    redirect_uris: [http://localhost:4200/cb]
                    token_endpoint_auth_method: none
                    scope: [openid]
                    purpose: {en: App, fr: App, nl: App, de: App}
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the portals' web server received at {@code path} (back-channel logout tokens). */
    public java.util.List<com.github.tomakehurst.wiremock.verification.LoggedRequest> posts(String path) {
        return portalWebServer.findAll(WireMock.postRequestedFor(WireMock.urlPathEqualTo(path)));
    }

    /** The posts to {@code path}, once at least one arrived or 10 s passed (delivery is asynchronous). */
    public java.util.List<com.github.tomakehurst.wiremock.verification.LoggedRequest> awaitPosts(String path)
            throws InterruptedException {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
        var posts = posts(path);
        while (posts.isEmpty() && java.time.Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            posts = posts(path);
        }
        return posts;
    }

    private void write(String clientId, String yaml) throws IOException {
        Files.writeString(configDir.resolve("clients").resolve(clientId + ".yml"), yaml);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A gateway of its own for this fixture (a test that stops and restarts it): the fixture's port, issuer,
     * portal files and master key (the same at every start), and the database at {@code databaseUrl};
     * {@code more} is added. Given as command-line arguments: default properties would lose to application.yml.
     */
    public org.springframework.context.ConfigurableApplicationContext startGateway(String databaseUrl, String user,
                                                                                java.util.Map<String, ?> more) {
        java.util.Map<String, Object> properties = new java.util.LinkedHashMap<>();
        properties.put("passerelle.config-file", "target/no-operator-config.yml");
        properties.put("server.port", port);
        properties.put("passerelle.issuer", issuer);
        properties.put("passerelle.config-dir", configDir.toString());
        properties.put("REGION_PORTAL_SECRET", REGION_SECRET);
        properties.put("passerelle.keys.master-key", masterKey);
        properties.put("spring.datasource.url", databaseUrl);
        if (user != null) {
            properties.put("spring.datasource.username", user);
            properties.put("spring.datasource.password", "");
        }
        properties.putAll(more);
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new org.springframework.boot.builder.SpringApplicationBuilder(io.passerelle.PasserelleApplication.class,
                testonly.TestSignInConfiguration.class).run(args);
    }
}

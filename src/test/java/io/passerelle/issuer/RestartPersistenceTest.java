package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;

import io.passerelle.testsupport.PostgresDatabase;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Authorizations, portals and keys live in the database: a refresh token issued before a restart still
 * works after it, and the new ID token verifies against the same published keys. Run on H2 (file) and
 * on PostgreSQL.
 */
class RestartPersistenceTest {

    @Test
    void refreshTokenSurvivesRestartOnH2() throws Exception {
        Path data = Files.createTempDirectory("passerelle-data");
        survivesRestart("jdbc:h2:file:" + data.resolve("passerelle") + ";DB_CLOSE_ON_EXIT=FALSE", "sa");
    }

    @Test
    void refreshTokenSurvivesRestartOnPostgres() throws Exception {
        survivesRestart(PostgresDatabase.freshSchemaUrl(), PostgresDatabase.USER);
    }

    private void survivesRestart(String databaseUrl, String user) throws Exception {
        PortalFixture fixture = new PortalFixture();

        Tokens before;
        String kidBefore;
        try (ConfigurableApplicationContext first = fixture.startGateway(databaseUrl, user, Map.of())) {
            PortalClient portal = new PortalClient(fixture).connect();
            PortalClient.Grant grant = portal.codeFor(PortalFixture.CITY);
            OIDCTokenResponse response = PortalClient.tokens(portal.exchange(grant.code(), grant.verifier()));
            before = response.getOIDCTokens();
            kidBefore = ((com.nimbusds.jwt.SignedJWT) response.getOIDCTokens().getIDToken()).getHeader().getKeyID();
        }
        try (ConfigurableApplicationContext second = fixture.startGateway(databaseUrl, user, Map.of())) {
            fixture.portalWebServer.stop();
            PortalClient portal = new PortalClient(fixture).connect();
            URI token = portal.op.getTokenEndpointURI();
            OIDCTokenResponse refreshed = PortalClient.tokens(OIDCTokenResponseParser.parse(new TokenRequest(token,
                    portal.cityAuth(token), new RefreshTokenGrant(before.getRefreshToken())).toHTTPRequest().send()));
            IDTokenClaimsSet claims = portal.idTokenValidator(PortalFixture.CITY, JWSAlgorithm.RS256)
                    .validate(refreshed.getOIDCTokens().getIDToken(), null);
            assertThat(claims.getACR().getValue()).isEqualTo(PortalClient.LOA_SUBSTANTIAL);
            assertThat(((com.nimbusds.jwt.SignedJWT) refreshed.getOIDCTokens().getIDToken()).getHeader().getKeyID())
                    .as("same signing key after restart").isEqualTo(kidBefore);
            assertThat(portal.introspect(refreshed.getOIDCTokens().getAccessToken().getValue()).isActive()).isTrue();
        }
    }
}

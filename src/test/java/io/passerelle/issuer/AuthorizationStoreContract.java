package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import io.passerelle.identity.CitizenAuthentication;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.jackson.SecurityJacksonModules;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/** {@link JdbcAuthorizationStore}'s contract (OAuth2AuthorizationService), run on H2 and on PostgreSQL. */
abstract class AuthorizationStoreContract {

    // Microseconds: what both databases keep of a token's own timestamps.
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    private final RegisteredClient client = RegisteredClient.withId("client-row-1").clientId("city-portal")
            .clientSecret("{noop}x").clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE).redirectUri("https://portal.example/cb")
            .scope("openid").build();
    private final InMemoryRegisteredClientRepository clients = new InMemoryRegisteredClientRepository(client);
    private final JsonMapper typed = JsonMapper.builder()
            .addModules(SecurityJacksonModules.getModules(getClass().getClassLoader(),
                    BasicPolymorphicTypeValidator.builder().allowIfSubType(CitizenAuthentication.class)))
            .build();
    private JdbcTemplate jdbc;
    private OAuth2AuthorizationService store;

    abstract DataSource database();

    @BeforeEach
    void open() {
        jdbc = new JdbcTemplate(database());
        store = new JdbcAuthorizationStore(jdbc, clients, typed, java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
    }

    @Test
    void codeThenTokensRoundTripEveryField() {
        OAuth2Authorization issued = withCode();
        store.save(issued);
        OAuth2Authorization byCode = store.findByToken(code(issued), new OAuth2TokenType(OAuth2ParameterNames.CODE));
        assertSame(byCode, issued);
        assertThat(byCode.getToken(OAuth2AuthorizationCode.class).isActive()).isTrue();

        OAuth2Authorization exchanged = withTokens(byCode);
        store.save(exchanged);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM oauth2_authorization", Integer.class)).isEqualTo(1);
        OAuth2Authorization byAccess = store.findByToken("access-" + issued.getId(), OAuth2TokenType.ACCESS_TOKEN);
        assertSame(byAccess, exchanged);
        assertThat(byAccess.getToken(OAuth2AuthorizationCode.class).isInvalidated()).isTrue();
        assertThat(byAccess.getAccessToken().getClaims()).isEqualTo(exchanged.getAccessToken().getClaims());
        assertThat(byAccess.getToken(OidcIdToken.class).getToken().getClaims())
                .isEqualTo(exchanged.getToken(OidcIdToken.class).getToken().getClaims());
        assertThat(byAccess.getToken(OidcIdToken.class).getToken().getAuthenticatedAt())
                .isEqualTo(now.truncatedTo(ChronoUnit.SECONDS));
        assertThat(byAccess.getAccessToken().getToken().getScopes()).containsExactly("openid");
        assertThat(byAccess.getRefreshToken().getToken().getExpiresAt()).isEqualTo(now.plusSeconds(3600));

        assertSame(store.findByToken("refresh-" + issued.getId(), OAuth2TokenType.REFRESH_TOKEN), exchanged);
        assertSame(store.findByToken("idtoken-" + issued.getId(), new OAuth2TokenType("id_token")), exchanged);
        assertSame(store.findByToken("access-" + issued.getId(), null), exchanged);
        assertSame(store.findById(issued.getId()), exchanged);
        // The code is still found (the server needs it to detect a replayed code), marked used.
        assertThat(store.findByToken(code(issued), new OAuth2TokenType(OAuth2ParameterNames.CODE))
                .getToken(OAuth2AuthorizationCode.class).isInvalidated()).isTrue();
    }

    /** V14's expires_at, which the purge deletes by: the last token's expiry, or a day for a row without tokens. */
    @Test
    void purgeTimeIsTheExpiryOfTheLastToken() {
        OAuth2Authorization issued = withCode();
        store.save(issued);
        assertThat(purgeTime(issued)).isEqualTo(now.plusSeconds(60));
        store.save(withTokens(issued));
        assertThat(purgeTime(issued)).isEqualTo(now.plusSeconds(3600));
        OAuth2Authorization pending = OAuth2Authorization.withRegisteredClient(client).id(UUID.randomUUID().toString())
                .principalName("c-1").authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .attribute(OAuth2ParameterNames.STATE, "consent-pending").build();
        store.save(pending);
        assertThat(purgeTime(pending)).isEqualTo(now.plus(java.time.Duration.ofDays(1)));
    }

    private Instant purgeTime(OAuth2Authorization authorization) {
        return jdbc.queryForObject("SELECT expires_at FROM oauth2_authorization WHERE id = ?", java.sql.Timestamp.class,
                authorization.getId()).toInstant();
    }

    /** A sign-in stored before CitizenAuthentication moved package (issue 12) is still read after it. */
    @Test
    void principalStoredUnderItsFormerClassNameIsRead() {
        OAuth2Authorization issued = withCode();
        store.save(issued);
        int rewritten = jdbc.update("UPDATE oauth2_authorization SET attributes = REPLACE(attributes, ?, ?) WHERE id = ?",
                CitizenAuthentication.class.getName(), "io.passerelle.broker.CitizenAuthentication", issued.getId());
        assertThat(rewritten).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT attributes FROM oauth2_authorization", String.class))
                .contains("io.passerelle.broker.CitizenAuthentication");
        OAuth2Authorization read = store.findById(issued.getId());
        assertSame(read, issued);
    }

    /**
     * A token request reads its code's authorization once (client authentication and grant both ask):
     * inside a request only, and never after this node wrote it.
     */
    @Test
    void aCodeLookedUpTwiceInOneRequestIsReadOnce() throws Exception {
        OAuth2Authorization issued = withCode();
        store.save(issued);
        OAuth2TokenType code = new OAuth2TokenType(OAuth2ParameterNames.CODE);
        JdbcAuthorizationStore.requestScope().doFilter(new org.springframework.mock.web.MockHttpServletRequest(),
                new org.springframework.mock.web.MockHttpServletResponse(), (request, response) -> {
                    OAuth2Authorization first = store.findByToken(code(issued), code);
                    assertThat(store.findByToken(code(issued), code)).isSameAs(first);
                    store.save(withTokens(first)); // the grant: what follows reads the row again
                    assertThat(store.findByToken(code(issued), code).getToken(OAuth2AuthorizationCode.class)
                            .isInvalidated()).isTrue();
                });
        // Outside a request (a job, a test): every lookup reads the database.
        OAuth2Authorization outside = store.findByToken(code(issued), code);
        assertThat(store.findByToken(code(issued), code)).isNotSameAs(outside);
    }

    /**
     * Bearer tokens at rest are their SHA-256 only; the presented value finds its grant, which comes
     * back holding that value (the server's introspection and revocation match the token by value).
     */
    @Test
    void accessAndRefreshTokensAreStoredHashedAndFoundByTheirValue() {
        OAuth2AuthorizationService minimised = new MinimisedIdTokens(store);
        OAuth2Authorization issued = withCode();
        minimised.save(issued);
        minimised.save(withTokens(issued));
        String id = issued.getId();
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT access_token_value, refresh_token_value, oidc_id_token_value FROM oauth2_authorization WHERE id = ?", id);
        assertThat(row.values()).allSatisfy(v -> assertThat((String) v).startsWith("sha256:").hasSize(71));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM oauth2_authorization WHERE access_token_metadata LIKE ?",
                Integer.class, "%access-" + id + "%")).isZero();

        for (OAuth2TokenType type : java.util.Arrays.asList(OAuth2TokenType.ACCESS_TOKEN, null)) {
            OAuth2Authorization byAccess = minimised.findByToken("access-" + id, type);
            assertThat(byAccess.getToken("access-" + id)).isNotNull();
            assertThat(byAccess.getAccessToken().getToken().getTokenValue()).isEqualTo("access-" + id);
            assertThat(byAccess.getAccessToken().getClaims()).containsEntry("sub", "pairwise-sub");
        }
        OAuth2Authorization byRefresh = minimised.findByToken("refresh-" + id, OAuth2TokenType.REFRESH_TOKEN);
        assertThat(byRefresh.getToken("refresh-" + id)).isNotNull();
        assertThat(minimised.findByToken("refresh-" + id, null).getRefreshToken().getToken().getTokenValue())
                .isEqualTo("refresh-" + id);
        assertThat(minimised.findByToken("access-" + id, OAuth2TokenType.REFRESH_TOKEN)).isNull();
        assertThat(minimised.findByToken("sha256:" + TokenDigest.sha256Hex("access-" + id), OAuth2TokenType.ACCESS_TOKEN))
                .as("the stored hash is no token").isNull();

        // Revoked by value (what the server's revocation does), stored hashed again.
        minimised.save(OAuth2Authorization.from(byRefresh).invalidate(byRefresh.getRefreshToken().getToken()).build());
        assertThat(jdbc.queryForObject("SELECT refresh_token_value FROM oauth2_authorization WHERE id = ?", String.class, id))
                .startsWith("sha256:");
        assertThat(minimised.findByToken("refresh-" + id, OAuth2TokenType.REFRESH_TOKEN).getRefreshToken().isInvalidated())
                .isTrue();
    }

    /** A grant stored before tokens were hashed at rest is found by its plain token until it expires. */
    @Test
    void aGrantStoredWithPlainTokensIsStillFound() {
        OAuth2Authorization issued = withCode();
        store.save(issued);
        store.save(withTokens(issued)); // the store alone: plain values, as before
        OAuth2AuthorizationService minimised = new MinimisedIdTokens(store);
        assertThat(minimised.findByToken("access-" + issued.getId(), OAuth2TokenType.ACCESS_TOKEN).getId())
                .isEqualTo(issued.getId());
        assertThat(minimised.findByToken("refresh-" + issued.getId(), null).getId()).isEqualTo(issued.getId());
    }

    @Test
    void unknownValuesAndRemoval() {
        OAuth2Authorization issued = withCode();
        store.save(issued);
        assertThat(store.findById("no-such-id")).isNull();
        assertThat(store.findByToken("no-such-code", new OAuth2TokenType(OAuth2ParameterNames.CODE))).isNull();
        assertThat(store.findByToken(code(issued), OAuth2TokenType.ACCESS_TOKEN)).isNull();
        assertThat(store.findByToken(code(issued), new OAuth2TokenType("unknown_type"))).isNull();
        store.remove(issued);
        assertThat(store.findById(issued.getId())).isNull();
    }

    @Test
    void consentStateIsAColumnAndValuesKeepTheirJavaTypes() {
        Map<String, Object> odd = new LinkedHashMap<>();
        odd.put("@class", "not a type");
        odd.put("n", 3_000_000_000L);
        OAuth2Authorization pending = OAuth2Authorization.withRegisteredClient(client).id(UUID.randomUUID().toString())
                .principalName("c-1").authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .attribute(OAuth2ParameterNames.STATE, "consent-state")
                .attribute("odd", odd).attribute("when", now).attribute("flags", Set.of("a"))
                .attribute("array", new String[] {"x", "y"}).attribute("date", new Date(1_000L)).build();
        store.save(pending);
        OAuth2Authorization read = store.findByToken("consent-state", new OAuth2TokenType(OAuth2ParameterNames.STATE));
        assertThat(read).isNotNull();
        assertThat((Map<String, Object>) read.getAttribute("odd")).isEqualTo(odd);
        assertThat((Instant) read.getAttribute("when")).isEqualTo(now);
        assertThat((Set<String>) read.getAttribute("flags")).containsExactly("a");
        assertThat((String[]) read.getAttribute("array")).containsExactly("x", "y");
        assertThat((Date) read.getAttribute("date")).isEqualTo(new Date(1_000L));
    }

    @Test
    void readsRowsWrittenBySpringAuthorizationServersOwnService() {
        JdbcOAuth2AuthorizationService server = new JdbcOAuth2AuthorizationService(jdbc, clients);
        server.setAuthorizationRowMapper(new JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationRowMapper(clients, typed));
        server.setAuthorizationParametersMapper(
                new JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationParametersMapper(typed));
        OAuth2Authorization issued = withCode(false);
        server.save(issued);
        OAuth2Authorization exchanged = withTokens(server.findById(issued.getId()));
        server.save(exchanged);
        OAuth2Authorization read = store.findByToken("refresh-" + issued.getId(), OAuth2TokenType.REFRESH_TOKEN);
        assertSame(read, exchanged);
        assertThat(read.getAccessToken().getClaims()).isEqualTo(exchanged.getAccessToken().getClaims());
        // ... and what this store saves over it, the server's service can no longer read, so it is ours alone.
        store.save(read);
        assertSame(store.findById(issued.getId()), exchanged);
    }

    private static String code(OAuth2Authorization a) {
        return a.getToken(OAuth2AuthorizationCode.class).getToken().getTokenValue();
    }

    private OAuth2Authorization withCode() {
        return withCode(true);
    }

    /** @param repeated with a repeated extra parameter (a String[]), which the server's own format cannot read back */
    private OAuth2Authorization withCode(boolean repeated) {
        String id = UUID.randomUUID().toString();
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("nonce", "n-" + id);
        parameters.put("code_challenge", "challenge");
        parameters.put("code_challenge_method", "S256");
        if (repeated) {
            parameters.put("repeated", new String[] {"1", "2"});
        }
        OAuth2AuthorizationRequest request = OAuth2AuthorizationRequest.authorizationCode()
                .authorizationUri("https://gateway.example/oauth2/authorize").clientId("city-portal")
                .redirectUri("https://portal.example/cb").scopes(Set.of("openid")).state("portal-state")
                .additionalParameters(parameters).attributes(new LinkedHashMap<>(Map.of("a", "b"))).build();
        CitizenAuthentication citizen = CitizenAuthentication.of("c-" + id, "itsme", "http://eidas.europa.eu/LoA/high",
                List.of("pwd", "mfa"), now.truncatedTo(ChronoUnit.SECONDS));
        return OAuth2Authorization.withRegisteredClient(client).id(id).principalName(citizen.getName())
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE).authorizedScopes(Set.of("openid"))
                .attribute(Principal.class.getName(), citizen)
                .attribute(OAuth2AuthorizationRequest.class.getName(), request)
                .token(new OAuth2AuthorizationCode("code-" + id, now, now.plusSeconds(60)))
                .build();
    }

    private OAuth2Authorization withTokens(OAuth2Authorization codeIssued) {
        String id = codeIssued.getId();
        Map<String, Object> accessClaims = new LinkedHashMap<>();
        accessClaims.put("sub", "pairwise-sub");
        // Collection types the server's own format can read back too (not List.of and the like).
        accessClaims.put("aud", Collections.singletonList("city-portal"));
        accessClaims.put("scope", Collections.unmodifiableSet(new LinkedHashSet<>(List.of("openid"))));
        accessClaims.put("iss", url("https://gateway.example"));
        accessClaims.put("iat", now);
        accessClaims.put("exp", now.plusSeconds(300));
        Map<String, Object> idClaims = new LinkedHashMap<>(accessClaims);
        idClaims.remove("scope");
        idClaims.put("auth_time", Date.from(now.truncatedTo(ChronoUnit.SECONDS)));
        idClaims.put("amr", new ArrayList<>(List.of("pwd", "mfa")));
        idClaims.put("address", new LinkedHashMap<>(Map.of("country", "BE")));
        OAuth2AccessToken access = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "access-" + id, now,
                now.plusSeconds(300), Set.of("openid"));
        return OAuth2Authorization.from(codeIssued)
                .token(access, m -> {
                    m.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, accessClaims);
                    m.put("org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat",
                            "self-contained");
                })
                .token(new OidcIdToken("idtoken-" + id, now, now.plusSeconds(300), idClaims),
                        m -> m.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, idClaims))
                .refreshToken(new OAuth2RefreshToken("refresh-" + id, now, now.plusSeconds(3600)))
                .invalidate(codeIssued.getToken(OAuth2AuthorizationCode.class).getToken())
                .build();
    }

    private static java.net.URL url(String value) {
        try {
            return URI.create(value).toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Everything but the authorization request, which has no equals: compared field by field. */
    private static void assertSame(OAuth2Authorization read, OAuth2Authorization written) {
        assertThat(read.getId()).isEqualTo(written.getId());
        assertThat(read.getRegisteredClientId()).isEqualTo(written.getRegisteredClientId());
        assertThat(read.getPrincipalName()).isEqualTo(written.getPrincipalName());
        assertThat(read.getAuthorizationGrantType()).isEqualTo(written.getAuthorizationGrantType());
        assertThat(read.getAuthorizedScopes()).isEqualTo(written.getAuthorizedScopes());
        assertThat((Object) read.getAttribute(Principal.class.getName()))
                .isEqualTo(written.getAttribute(Principal.class.getName()));
        OAuth2AuthorizationRequest r = read.getAttribute(OAuth2AuthorizationRequest.class.getName());
        OAuth2AuthorizationRequest w = written.getAttribute(OAuth2AuthorizationRequest.class.getName());
        assertThat(r.getAuthorizationUri()).isEqualTo(w.getAuthorizationUri());
        assertThat(r.getClientId()).isEqualTo(w.getClientId());
        assertThat(r.getRedirectUri()).isEqualTo(w.getRedirectUri());
        assertThat(r.getScopes()).isEqualTo(w.getScopes());
        assertThat(r.getState()).isEqualTo(w.getState());
        assertThat(r.getAuthorizationRequestUri()).isEqualTo(w.getAuthorizationRequestUri());
        assertThat(r.getAttributes()).isEqualTo(w.getAttributes());
        assertThat(r.getAdditionalParameters()).usingRecursiveComparison().isEqualTo(w.getAdditionalParameters());
        assertThat(r.getGrantType()).isEqualTo(w.getGrantType());
        assertThat(r.getResponseType()).isEqualTo(w.getResponseType());
        for (Class<? extends org.springframework.security.oauth2.core.OAuth2Token> type : List.of(
                OAuth2AuthorizationCode.class, OAuth2AccessToken.class, OidcIdToken.class, OAuth2RefreshToken.class)) {
            assertThat(read.getToken(type)).as(type.getSimpleName()).isEqualTo(written.getToken(type));
        }
    }
}

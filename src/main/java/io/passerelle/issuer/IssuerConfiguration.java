package io.passerelle.issuer;

import java.time.Clock;
import java.util.Map;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import io.passerelle.audit.AuditLog;
import io.passerelle.identity.CitizenAuthentication;
import io.passerelle.consent.ConsentDecisions;
import io.passerelle.consent.PortalGrants;
import io.passerelle.keys.RevokedKeys;
import io.passerelle.issuer.throttle.ClientAuthThrottle;
import io.passerelle.issuer.throttle.ThrottleProperties;
import io.passerelle.keys.JoseVerifiers;

import io.passerelle.retention.ExpiredRows;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.security.jackson.SecurityJacksonModules;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import io.passerelle.config.IssuerProperties;
import io.passerelle.portal.PortalRegistry;

/** The issuer's stores and settings; the filter chain is in {@link IssuerSecurityConfiguration}. */
@Configuration(proxyBeanMethods = false)
public class IssuerConfiguration {

    @Bean
    AuthorizationServerSettings authorizationServerSettings(IssuerProperties properties) {
        return AuthorizationServerSettings.builder().issuer(properties.issuerId()).build();
    }

    @Bean
    OAuth2AuthorizationService authorizationService(JdbcTemplate jdbcTemplate, PortalRegistry portals, Clock clock) {
        // Authorizations embed the signed-in principal as JSON; only allowlisted types may be read back.
        JsonMapper mapper = JsonMapper.builder()
                .addModules(SecurityJacksonModules.getModules(getClass().getClassLoader(),
                        BasicPolymorphicTypeValidator.builder().allowIfSubType(CitizenAuthentication.class)))
                .build();
        return new MinimisedIdTokens(new JdbcAuthorizationStore(jdbcTemplate, portals, mapper, clock));
    }

    /** Outermost: what the authorization store remembers for a request ends with it. */
    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<?> authorizationNoteScope() {
        return io.passerelle.config.RequestScope.outermost("authorizationNoteScope", JdbcAuthorizationStore.requestScope());
    }

    @Bean
    OAuth2AuthorizationConsentService authorizationConsentService(JdbcTemplate jdbcTemplate, PortalRegistry portals) {
        return new JdbcOAuth2AuthorizationConsentService(jdbcTemplate, portals);
    }

    /**
     * Portal secrets: salted SHA-256 (see {@link HighEntropySecretEncoder} for why no stretching);
     * PBKDF2 and bcrypt values are still recognised, by their {@code {id}} prefix.
     */
    @Bean
    PasswordEncoder passwordEncoder() {
        Pbkdf2PasswordEncoder pbkdf2 = new Pbkdf2PasswordEncoder("", 16, 1000,
                Pbkdf2PasswordEncoder.SecretKeyFactoryAlgorithm.PBKDF2WithHmacSHA256);
        return new DelegatingPasswordEncoder("sha256-salted", Map.of("sha256-salted", new HighEntropySecretEncoder(),
                "pbkdf2-light", pbkdf2, "bcrypt", new BCryptPasswordEncoder()));
    }

    // No SessionRegistry: the server would take sid from the principal's most recently used session on
    // this node (another browser's, for a citizen with two); sid comes with the sign-in instead
    // (CitizenAuthentication.sid, set by IssuerClaimsCustomizer), the same on every node.

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> issuerClaimsCustomizer(PortalRegistry portals,
                                                                    io.passerelle.identity.PairwiseSubjects subjects,
                                                                    ConsentDecisions consent, SessionPortals sessions) {
        return new IssuerClaimsCustomizer(portals, subjects, consent, sessions);
    }

    @Bean
    SessionPortals sessionPortals(JdbcClient jdbc, Clock clock) {
        return new SessionPortals(jdbc, clock);
    }

    // What the purge (package retention) deletes from the issuer's tables, in small batches.

    @Bean
    ExpiredRows expiredAuthorizations() {
        return JdbcAuthorizationStore.expiredRows();
    }

    /** Kept for the refresh-token lifetime after a session's last token: the longest a portal's session can rest on it. */
    @Bean
    ExpiredRows expiredSessionPortals(IssuerProperties properties) {
        return SessionPortals.expiredRows(properties.tokens().refreshToken());
    }

    @Bean
    ExpiredRows expiredCodeRedemptions() {
        return OneTimeCodeRedemption.Redemptions.expiredRows();
    }

    @Bean
    ExpiredRows expiredClientAssertions() {
        return ClientAssertionReplayStore.expiredRows();
    }

    @Bean
    ExpiredRows expiredRetiredRefreshTokens() {
        return RetiredRefreshTokenStore.expiredRows();
    }

    /** Withdrawing consent ends the portal's authorizations in the server's own table. */
    @Bean
    PortalGrants portalGrants(JdbcClient jdbc) {
        return new JdbcPortalGrants(jdbc);
    }

    /** Signs logout tokens with the key ring, as the server signs ID tokens (not a bean: the server keeps its own encoder). */
    @Bean
    BackChannelLogout backChannelLogout(JdbcClient jdbc, OAuth2AuthorizationService authorizations, PortalRegistry portals,
                                        SessionPortals sessions, JWKSource<SecurityContext> keys, AuditLog audit,
                                        Clock clock, IssuerProperties properties) {
        return new BackChannelLogout(jdbc, authorizations, portals, sessions, new NimbusJwtEncoder(keys), audit, clock,
                properties.issuerId());
    }

    @Bean
    SignOut signOut(BackChannelLogout backChannelLogout) {
        return new SignOut(backChannelLogout);
    }

    @Bean
    IdTokenHint idTokenHint(JWKSource<SecurityContext> keys, IssuerProperties properties, RevokedKeys revokedKeys) {
        return new IdTokenHint(keys, properties.issuerId(), revokedKeys);
    }

    @Bean
    OneTimeCodeRedemption.Redemptions codeRedemptions(JdbcClient jdbc, Clock clock) {
        return new OneTimeCodeRedemption.Redemptions(jdbc, clock);
    }

    @Bean
    ClientAssertionReplayStore clientAssertionReplayStore(JdbcClient jdbc) {
        return new ClientAssertionReplayStore(jdbc);
    }

    /** Failed client authentications, counted in memory on this node (see {@link ClientAuthThrottle}). */
    @Bean
    ClientAuthThrottle clientAuthThrottle(ThrottleProperties limits, Clock clock, AuditLog audit) {
        return new ClientAuthThrottle(limits, clock, audit);
    }

    @Bean
    RetiredRefreshTokenStore retiredRefreshTokenStore(JdbcClient jdbc, Clock clock) {
        return new RetiredRefreshTokenStore(jdbc, clock);
    }

    /**
     * Verifies the access tokens portals present at userinfo: our own tokens, so the issuer and the
     * algorithm are pinned; the server then also checks that the
     * token's authorization is still active, so a revoked token fails even before it expires. Access
     * tokens are ES256 (see {@link IssuerClaimsCustomizer}).
     */
    @Bean
    JwtDecoder accessTokenDecoder(JWKSource<SecurityContext> keys, IssuerProperties properties, RevokedKeys revokedKeys) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys).jwsAlgorithm(SignatureAlgorithm.ES256)
                .jwtProcessorCustomizer(JoseVerifiers.processorCustomizer()).build();
        // Revoked keys: refused even before this node's key ring reloads (revocation made on another node).
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(properties.issuerId()), revokedKeys.jwtValidator()));
        return decoder;
    }
}

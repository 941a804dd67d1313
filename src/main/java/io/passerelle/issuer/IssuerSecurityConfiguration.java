package io.passerelle.issuer;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.passerelle.audit.AuditLog;
import io.passerelle.broker.LoginPolicyValidator;
import io.passerelle.broker.SignInRedirect;
import io.passerelle.consent.ClaimRelease;
import io.passerelle.consent.ClaimsRequest;
import io.passerelle.consent.ConsentDecisions;
import io.passerelle.consent.ConsentPolicy;
import io.passerelle.broker.CitizenAuthentication;
import io.passerelle.issuer.portal.PortalConfig;
import io.passerelle.keys.RevokedKeyIntrospection;
import io.passerelle.keys.RevokedKeys;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2PushedAuthorizationRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.context.SecurityContextHolderFilter;

/**
 * The OpenID Provider's endpoints (authorize, PAR, token, userinfo, JWKS, introspection, revocation,
 * logout, discovery), customised only through the server's hooks. A browser that reaches
 * {@code /oauth2/authorize} without a session goes to the sign-in page, where the broker takes over.
 */
@Configuration(proxyBeanMethods = false)
public class IssuerSecurityConfiguration {

    /** Where a citizen without a session is sent; the broker's key chooser lives there. */
    public static final String SIGN_IN_PAGE = SignInRedirect.SIGN_IN_PAGE;

    /**
     * Userinfo (OIDC Core 5.3) answers what the ID token released to this portal, computed again from
     * the sealed sign-in and the citizen's consent (the stored ID token keeps only its protocol claims,
     * see {@link MinimisedIdTokens}): the subject, then the allowlisted, granted claims under the
     * portal's names, with those the request's {@code claims} asked for userinfo. The server's default
     * would filter only the standard scopes' claims.
     */
    static OidcUserInfo userInfo(PortalRegistry portals, ConsentDecisions consent, OidcUserInfoAuthenticationContext context) {
        OAuth2Authorization authorization = context.getAuthorization();
        OAuth2Authorization.Token<OidcIdToken> idToken = authorization.getToken(OidcIdToken.class);
        Map<String, Object> claims = new LinkedHashMap<>();
        PortalConfig portal = portals.portal(authorization.getRegisteredClientId()).orElse(null);
        if (idToken == null || portal == null) {
            return new OidcUserInfo(claims);
        }
        claims.put("sub", idToken.getToken().getSubject());
        if (authorization.getAttribute(java.security.Principal.class.getName()) instanceof CitizenAuthentication citizen) {
            claims.putAll(ClaimRelease.named(portal, consent.releasable(portal, citizen, authorization.getAuthorizedScopes(),
                    ClaimsRequest.of(authorization), ClaimsRequest.Destination.USERINFO)));
        }
        return new OidcUserInfo(claims);
    }

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(HttpSecurity http, IssuerProperties properties,
                                                 OAuth2AuthorizationService authorizations,
                                                 ClientAssertionReplayStore replayStore,
                                                 RetiredRefreshTokenStore retiredRefreshTokens, Clock clock,
                                                 LoginPolicyValidator loginPolicy, SignInRedirect signIn,
                                                 AuditLog audit, RevokedKeys revokedKeys, PortalRegistry portals,
                                                 ConsentPolicy consentPolicy, ConsentDecisions consent,
                                                 OneTimeCodeRedemption.Redemptions codeRedemptions,
                                                 BackChannelLogout backChannelLogout) {
        AuthorizationResponseHandler responses = new AuthorizationResponseHandler(properties.issuerId(), signIn, audit);
        ClientAssertionDecoderFactory assertions = new ClientAssertionDecoderFactory(replayStore, clock);
        DiscoveryMetadata metadata = new DiscoveryMetadata();
        http.oauth2AuthorizationServer(server -> {
            http.securityMatcher(new OrRequestMatcher(server.getEndpointsMatcher(), UserInfoResource.METADATA));
            server.authorizationEndpoint(endpoint -> endpoint
                            .authorizationResponseHandler(responses)
                            .errorResponseHandler(responses)
                            .authenticationProviders(providers -> providers.forEach(provider -> {
                                if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider request) {
                                    // After the server's redirect URI and scope checks: errors can go back to the portal.
                                    request.setAuthenticationValidator(
                                            ScopePolicyFilter.validator(audit).andThen(loginPolicy)
                                                    .andThen(consentPolicy));
                                }
                            })))
                    .pushedAuthorizationRequestEndpoint(par -> par.authenticationProviders(providers -> providers
                            .forEach(provider -> {
                                if (provider instanceof OAuth2PushedAuthorizationRequestAuthenticationProvider pushed) {
                                    pushed.setAuthenticationValidator(ScopePolicyFilter.validator(audit));
                                }
                            })))
                    .clientAuthentication(clients -> clients.authenticationProviders(providers -> providers
                            .forEach(provider -> {
                                if (provider instanceof JwtClientAssertionAuthenticationProvider jwt) {
                                    jwt.setJwtDecoderFactory(assertions);
                                }
                            })))
                    .tokenEndpoint(token -> token.authenticationProviders(providers -> providers
                            .replaceAll(provider -> switch (provider) {
                                case OAuth2RefreshTokenAuthenticationProvider refresh ->
                                        new RefreshTokenReuseDetection(refresh, authorizations, retiredRefreshTokens, clock);
                                case OAuth2AuthorizationCodeAuthenticationProvider code ->
                                        new OneTimeCodeRedemption(code, codeRedemptions, authorizations);
                                default -> provider;
                            }))
                            .accessTokenResponseHandler(new AuditedTokenResponseHandler(audit)))
                    // Tokens signed by a revoked key are reported inactive (issue 6, emergency revocation).
                    .tokenIntrospectionEndpoint(introspection -> introspection.authenticationProviders(providers ->
                            providers.replaceAll(provider -> provider instanceof OAuth2TokenIntrospectionAuthenticationProvider
                                    ? new RevokedKeyIntrospection(provider, revokedKeys) : provider)))
                    .authorizationServerMetadataEndpoint(endpoint -> endpoint
                            .authorizationServerMetadataCustomizer(builder -> builder.claims(metadata)))
                    .oidc(oidc -> oidc.providerConfigurationEndpoint(endpoint -> endpoint
                                    .providerConfigurationCustomizer(builder -> builder.claims(metadata)))
                            .userInfoEndpoint(userInfo -> userInfo.userInfoMapper(context -> userInfo(portals, consent, context)))
                            .logoutEndpoint(logout -> logout.logoutResponseHandler(new SignOutHandler(backChannelLogout))));
        });
        // The authorization endpoint decides about sign-in itself (LoginPolicyValidator), after resolving
        // pushed requests, so that the key chooser always knows what the portal demands.
        http.authorizeHttpRequests(authorize -> authorize
                        .requestMatchers("/oauth2/authorize").permitAll()
                        .anyRequest().authenticated())
                // Its errors render the citizen's error page with these headers (error dispatch).
                .headers(io.passerelle.web.SecurityHeaders.ALL)
                // Userinfo's token in a form body too; its 401s name its RFC 9728 metadata, served here.
                .oauth2ResourceServer(new UserInfoResource(properties.issuerId()))
                .addFilterAfter(new RequestLimitsFilter(), SecurityContextHolderFilter.class)
                .addFilterAfter(new AssertionClientIdFilter(), RequestLimitsFilter.class)
                .addFilterAfter(new ScopePolicyFilter(portals::portal, audit), AssertionClientIdFilter.class)
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint(SIGN_IN_PAGE),
                        new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
        return http.build();
    }
}

package io.passerelle.issuer;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.passerelle.audit.AuditLog;
import io.passerelle.authorize.AuthorizeSteps;
import io.passerelle.authorize.ScopeOverreachAudit;
import io.passerelle.authorize.ConsentNeededStep;
import io.passerelle.authorize.Interactions;
import io.passerelle.authorize.MinorsStep;
import io.passerelle.authorize.SignInNeededStep;
import io.passerelle.broker.SignInRedirect;
import io.passerelle.consent.ClaimRelease;
import io.passerelle.consent.ClaimsRequest;
import io.passerelle.consent.ConsentDecisions;
import io.passerelle.identity.CitizenAuthentication;
import io.passerelle.portal.PortalConfig;
import io.passerelle.keys.RevokedKeyIntrospection;
import io.passerelle.keys.RevokedKeys;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2PushedAuthorizationRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.DelegatingAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import io.passerelle.issuer.throttle.ClientAuthThrottle;
import io.passerelle.issuer.throttle.ClientAuthThrottleFilter;
import io.passerelle.issuer.throttle.ThrottledClientAuthFailureHandler;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import io.passerelle.config.IssuerProperties;
import io.passerelle.portal.PortalRegistry;

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
                                                 SignInNeededStep signInNeeded, Interactions interactions,
                                                 AuditLog audit, RevokedKeys revokedKeys, PortalRegistry portals,
                                                 ConsentNeededStep consentNeeded, MinorsStep minors,
                                                 ConsentDecisions consent,
                                                 OneTimeCodeRedemption.Redemptions codeRedemptions,
                                                 SignOut signOut, IdTokenHint idTokenHints,
                                                 PlatformTransactionManager transactionManager,
                                                 ClientAuthThrottle throttle) {
        LogoutResponder logoutResponder = new LogoutResponder(signOut);
        UserInfoResource userInfoResource = new UserInfoResource(properties.issuerId());
        AuthorizationResponseHandler responses = new AuthorizationResponseHandler(properties.issuerId(), interactions, audit);
        ClientAssertionDecoderFactory assertions = new ClientAssertionDecoderFactory(replayStore, clock);
        DiscoveryMetadata metadata = new DiscoveryMetadata();
        http.oauth2AuthorizationServer(server -> {
            // With every method of the POST-only endpoints, so that ApiMethodFilter answers 405 for the others,
            // and userinfo's RFC 9728 metadata.
            http.securityMatcher(new OrRequestMatcher(server.getEndpointsMatcher(), UserInfoResource.METADATA, request ->
                    ApiMethodFilter.POST_ONLY.contains(request.getRequestURI())));
            server.authorizationEndpoint(endpoint -> endpoint
                            .authorizationResponseHandler(responses)
                            .errorResponseHandler(responses)
                            .authenticationProviders(providers -> providers.forEach(provider -> {
                                if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider request) {
                                    // The endpoint's rules in order (redirect URI first: errors can go back to the portal).
                                    request.setAuthenticationValidator(new AuthorizeSteps(audit, signInNeeded, minors, consentNeeded));
                                }
                            })))
                    .pushedAuthorizationRequestEndpoint(par -> par
                            .pushedAuthorizationRequestConverters(PushedRequestConverter::wrap)
                            .authenticationProviders(providers -> providers
                            .forEach(provider -> {
                                if (provider instanceof OAuth2PushedAuthorizationRequestAuthenticationProvider pushed) {
                                    pushed.setAuthenticationValidator(OAuth2AuthorizationCodeRequestAuthenticationValidator
                                            .DEFAULT_REDIRECT_URI_VALIDATOR.andThen(new ScopeOverreachAudit(audit))
                                            .andThen(OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_SCOPE_VALIDATOR));
                                }
                            })))
                    .clientAuthentication(clients -> clients
                            .errorResponseHandler(new ThrottledClientAuthFailureHandler(throttle, ClientAuthenticationEntryPoint.CHALLENGE))
                            .authenticationProviders(providers -> providers
                            .forEach(provider -> {
                                if (provider instanceof JwtClientAssertionAuthenticationProvider jwt) {
                                    jwt.setJwtDecoderFactory(assertions);
                                }
                            })))
                    .tokenEndpoint(token -> token.authenticationProviders(providers -> providers
                            .replaceAll(provider -> switch (provider) {
                                case OAuth2RefreshTokenAuthenticationProvider refresh ->
                                        new RefreshTokenReuseDetection(refresh, authorizations, retiredRefreshTokens,
                                                new TransactionTemplate(transactionManager), audit, clock);
                                case OAuth2AuthorizationCodeAuthenticationProvider code ->
                                        new OneTimeCodeRedemption(code, codeRedemptions, authorizations);
                                default -> provider;
                            }))
                            .accessTokenResponseHandler(new AuditedTokenResponseHandler(audit)))
                    // Tokens signed by a revoked key are reported inactive (issue 6, emergency revocation), and
                    // so is another portal's token unless its file names the caller (issue 11).
                    .tokenIntrospectionEndpoint(introspection -> introspection.authenticationProviders(providers ->
                            providers.replaceAll(provider -> provider instanceof OAuth2TokenIntrospectionAuthenticationProvider
                                    ? new PortalIntrospectionBoundary(new RevokedKeyIntrospection(provider, revokedKeys),
                                            portals)
                                    : provider)))
                    .authorizationServerMetadataEndpoint(endpoint -> endpoint
                            .authorizationServerMetadataCustomizer(builder -> builder.claims(metadata)))
                    .oidc(oidc -> oidc.providerConfigurationEndpoint(endpoint -> endpoint
                                    .providerConfigurationCustomizer(builder -> builder.claims(metadata)))
                            .userInfoEndpoint(userInfo -> userInfo.userInfoMapper(context -> userInfo(portals, consent, context)))
                            .logoutEndpoint(logout -> logout
                                    // RP-Initiated Logout 1.0: every request ends with the citizen signed out or asked.
                                    .logoutRequestConverters(converters -> {
                                        converters.clear();
                                        converters.add(new LogoutRequestConverter());
                                    })
                                    .authenticationProviders(providers -> {
                                        providers.clear();
                                        providers.add(new LogoutDecider(idTokenHints, portals));
                                    })
                                    .logoutResponseHandler(logoutResponder)
                                    .errorResponseHandler(logoutResponder)));
        });
        // The authorization endpoint decides about sign-in itself (authorize.SignInNeededStep), after resolving
        // pushed requests, so that the key chooser always knows what the portal demands.
        http.authorizeHttpRequests(authorize -> authorize
                        .requestMatchers("/oauth2/authorize").permitAll()
                        .anyRequest().authenticated())
                .addFilterBefore(new ApiMethodFilter(), SecurityContextHolderFilter.class)
                // Its errors render the citizen's error page with these headers (error dispatch).
                .headers(io.passerelle.issuer.SecurityHeaders.ALL)
                // Userinfo's token in a form body too; its 401s name its RFC 9728 metadata, served here.
                .oauth2ResourceServer(userInfoResource)
                .addFilterAfter(new RequestLimitsFilter(), SecurityContextHolderFilter.class)
                // A database outage at the authorization endpoint goes back to the portal as temporarily_unavailable.
                .addFilterAfter(new AuthorizationOutageFilter(portals, responses), RequestLimitsFilter.class)
                .addFilterAfter(new AssertionClientIdFilter(), RequestLimitsFilter.class)
                .addFilterAfter(new ClientAuthThrottleFilter(throttle, ApiMethodFilter.POST_ONLY), AssertionClientIdFilter.class)
                .addFilterAfter(new ScopePolicyFilter(portals::portal, audit), ClientAuthThrottleFilter.class)
                // Only the authorization endpoint may send a browser to the sign-in page; the API endpoints
                // answer 401 with their scheme's challenge whatever the Accept header (issue 11).
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(DelegatingAuthenticationEntryPoint.builder()
                        .addEntryPointFor(new LoginUrlAuthenticationEntryPoint(SIGN_IN_PAGE),
                                request -> request.getRequestURI().equals("/oauth2/authorize"))
                        // RFC 6750 3: no error code when the request carried no token at all; RFC 9728 5.1: the
                        // challenge names the resource's metadata, served by this chain (UserInfoResource).
                        .addEntryPointFor(userInfoResource.entryPoint(), request -> request.getRequestURI().equals("/userinfo"))
                        .defaultEntryPoint(new ClientAuthenticationEntryPoint())
                        .build()));
        return http.build();
    }
}

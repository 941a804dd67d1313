package example.cityportal;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.endpoint.NimbusJwtClientAuthenticationParametersConverter;
import org.springframework.security.oauth2.client.endpoint.OAuth2AccessTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.web.SecurityFilterChain;

/**
 * What a Passerelle portal sets beyond Spring Security's defaults, one bean per concern (README.md, steps 3-7).
 */
@Configuration(proxyBeanMethods = false)
public class PortalSecurity {

    /** The registration id in application.yml ({@code spring.security.oauth2.client.registration.passerelle}). */
    public static final String REGISTRATION = "passerelle";

    @Bean
    SecurityFilterChain portal(HttpSecurity http, ClientRegistrationRepository registrations, PortalProperties portal,
                               OAuth2AccessTokenResponseClient<OAuth2AuthorizationCodeGrantRequest> tokenClient)
            throws Exception {
        // Step 3: PKCE (S256) on every authorization request (Spring adds it by itself only for public clients;
        // Passerelle requires it of every portal), and the level of assurance asked for.
        DefaultOAuth2AuthorizationRequestResolver authorizationRequests =
                new DefaultOAuth2AuthorizationRequestResolver(registrations, "/oauth2/authorization");
        authorizationRequests.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce()
                .andThen(request -> request.additionalParameters(p -> p.put("acr_values", portal.acrValues()))));

        // Step 6: "Sign out" ends the portal's session, then sends the browser to Passerelle's end_session_endpoint
        // with the ID token as id_token_hint, which signs the citizen out of Passerelle and comes back here.
        OidcClientInitiatedLogoutSuccessHandler signOut = new OidcClientInitiatedLogoutSuccessHandler(registrations);
        signOut.setPostLogoutRedirectUri("{baseUrl}/signed-out");

        http.authorizeHttpRequests(pages -> pages
                        .requestMatchers("/signed-out", "/jwks.json", "/error").permitAll()
                        .anyRequest().authenticated())
                .oauth2Login(login -> login
                        .authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(authorizationRequests))
                        .tokenEndpoint(endpoint -> endpoint.accessTokenResponseClient(tokenClient)))
                .logout(logout -> logout.logoutSuccessHandler(signOut))
                // Step 7: POST /logout/connect/back-channel/passerelle receives Passerelle's logout tokens, checks
                // them (signature, iss, aud, iat, events, sid) and ends the portal sessions of that sid.
                .oidcLogout(logout -> logout.backChannel(Customizer.withDefaults()));
        return http.build();
    }

    /** Step 4: the token request authenticates with a JWT signed by the portal's key (private_key_jwt). */
    @Bean
    OAuth2AccessTokenResponseClient<OAuth2AuthorizationCodeGrantRequest> tokenClient(ClientKey key) {
        RestClientAuthorizationCodeTokenResponseClient client = new RestClientAuthorizationCodeTokenResponseClient();
        client.addParametersConverter(new NimbusJwtClientAuthenticationParametersConverter<>(
                registration -> key.signingKey()));
        return client;
    }

    /**
     * Step 5: the ID token checks. Spring checks the signature against Passerelle's jwks_uri, {@code iss},
     * {@code aud}, {@code azp}, {@code exp}, {@code iat} and the {@code nonce} it sent; here the algorithm is
     * pinned to the one in the portal's file and the {@code acr} must be one this portal accepts.
     */
    @Bean
    JwtDecoderFactory<ClientRegistration> idTokenDecoderFactory(PortalProperties portal) {
        OidcIdTokenDecoderFactory decoders = new OidcIdTokenDecoderFactory();
        decoders.setJwsAlgorithmResolver(registration -> SignatureAlgorithm.RS256);
        decoders.setJwtValidatorFactory(registration -> new DelegatingOAuth2TokenValidator<>(
                new JwtTimestampValidator(), new OidcIdTokenValidator(registration), acr(portal.acceptedAcr())));
        return decoders;
    }

    /** Refuses an ID token whose {@code acr} is missing or not accepted: the sign-in fails, nobody is signed in. */
    static OAuth2TokenValidator<Jwt> acr(List<String> accepted) {
        return idToken -> {
            String acr = idToken.getClaimAsString("acr");
            return accepted.contains(acr) ? OAuth2TokenValidatorResult.success()
                    : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_id_token",
                    "acr " + acr + " is not one of " + accepted, null));
        };
    }
}

package io.passerelle.issuer;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.resource.OAuth2ResourceServerConfigurer;
import org.springframework.security.oauth2.server.resource.OAuth2ProtectedResourceMetadata;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The userinfo endpoint as an OAuth protected resource. The authorization server resolves its access
 * token through the resource server's bearer token filter, configured here through that configurer's
 * hooks:
 *
 * <ul>
 *   <li>the token may come in the {@code Authorization} header or, for userinfo only, as
 *       {@code access_token} in a form-encoded POST body (RFC 6750 2.2; OIDC Core 5.3.1 says userinfo
 *       accepts both); every other endpoint of the chain takes only the header, so no
 *       {@code access_token} field of a token or introspection request is ever read as a bearer token;</li>
 *   <li>a 401 names, in {@code WWW-Authenticate}'s {@code resource_metadata} (RFC 9728 5.1), the
 *       metadata of this resource, at the well-known path with the resource's path appended
 *       (RFC 9728 3.1); that document is served by the same chain. It says only what holds: the
 *       resource is the userinfo endpoint, Passerelle its only authorization server, the header and
 *       the body its bearer methods, {@code openid} the scope it needs, tokens not bound to a client
 *       certificate; userinfo answers are not signed, so no {@code resource_signing_alg_values_supported}.</li>
 * </ul>
 */
final class UserInfoResource implements Customizer<OAuth2ResourceServerConfigurer<HttpSecurity>> {

    static final String USERINFO_PATH = "/userinfo";
    static final String METADATA_PATH = "/.well-known/oauth-protected-resource" + USERINFO_PATH;
    /** Added to the authorization server chain's matcher: the server's own endpoints do not include it. */
    static final RequestMatcher METADATA = PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, METADATA_PATH);

    private final String issuer;

    UserInfoResource(String issuer) {
        this.issuer = issuer;
    }

    /** A 401 for userinfo: {@code Bearer} with this resource's metadata (and the token's error, if one was sent). */
    BearerTokenAuthenticationEntryPoint entryPoint() {
        BearerTokenAuthenticationEntryPoint entryPoint = new BearerTokenAuthenticationEntryPoint();
        entryPoint.setResourceMetadataParameterResolver(request -> issuer + METADATA_PATH);
        return entryPoint;
    }

    @Override
    public void customize(OAuth2ResourceServerConfigurer<HttpSecurity> server) {
        server.bearerTokenResolver(bearerTokens())
                .authenticationEntryPoint(entryPoint())
                .protectedResourceMetadata(metadata -> metadata.protectedResourceMetadataCustomizer(this::describe));
    }

    void describe(OAuth2ProtectedResourceMetadata.Builder metadata) {
        metadata.resource(issuer + USERINFO_PATH)
                .authorizationServers(servers -> {
                    servers.clear();
                    servers.add(issuer);
                })
                .bearerMethods(methods -> {
                    methods.clear();
                    methods.addAll(List.of("header", "body"));
                })
                .scopes(scopes -> {
                    scopes.clear();
                    scopes.add("openid");
                })
                // Spring's default says true; Passerelle's access tokens are not bound to a client certificate.
                .tlsClientCertificateBoundAccessTokens(false);
    }

    static BearerTokenResolver bearerTokens() {
        DefaultBearerTokenResolver headerOnly = new DefaultBearerTokenResolver();
        DefaultBearerTokenResolver headerOrBody = new DefaultBearerTokenResolver();
        headerOrBody.setAllowFormEncodedBodyParameter(true);
        RequestMatcher userInfo = PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, USERINFO_PATH);
        return (HttpServletRequest request) -> (userInfo.matches(request) ? headerOrBody : headerOnly).resolve(request);
    }
}

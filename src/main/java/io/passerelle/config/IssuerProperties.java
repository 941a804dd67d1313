package io.passerelle.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The issuer's part of config/application.yml (prefix {@code passerelle}).
 *
 * @param issuer    the issuer identifier in discovery and every token; https, or http for localhost only
 * @param configDir the folder holding {@code clients/} and {@code connectors/}
 * @param tokens    token lifetimes, applied to every portal
 * @param demo      the demo switch (see {@link Demo})
 */
@ConfigurationProperties("passerelle")
public record IssuerProperties(URI issuer, @DefaultValue("./config") Path configDir, @DefaultValue Tokens tokens,
                               @DefaultValue Demo demo) {

    public IssuerProperties {
        if (issuer == null) {
            throw new IllegalArgumentException("passerelle.issuer is required (the gateway's public URL)");
        }
        boolean local = "localhost".equals(issuer.getHost()) || "127.0.0.1".equals(issuer.getHost());
        if (!"https".equals(issuer.getScheme()) && !("http".equals(issuer.getScheme()) && local)) {
            throw new IllegalArgumentException("passerelle.issuer must be an https URL (http only for localhost): " + issuer);
        }
        if (issuer.getQuery() != null || issuer.getFragment() != null) {
            throw new IllegalArgumentException("passerelle.issuer must not have a query or fragment (OIDC Discovery 3)");
        }
    }

    /** The issuer as it appears in tokens: without a trailing slash. */
    public String issuerId() {
        String s = issuer.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * The folders holding one kind of configuration file ({@code clients} or {@code connectors}):
     * {@code <config-dir>/<kind>}, plus {@code <config-dir>/demo/<kind>} when the demo is on.
     */
    public List<Path> configFolders(String kind) {
        return demo.enabled() ? List.of(configDir.resolve(kind), configDir.resolve("demo").resolve(kind))
                : List.of(configDir.resolve(kind));
    }

    /**
     * @param enabled turns on the demo portal (/demo/portal), the demo mobile-ID provider (/demo/idp)
     *                and the files under config/demo/. Never in production: the demo provider signs
     *                anyone in as a synthetic citizen.
     */
    public record Demo(@DefaultValue("false") boolean enabled) {
    }

    /**
     * @param authorizationCode lifetime of an authorization code
     * @param accessToken       lifetime of an access token
     * @param idToken           lifetime of an ID token
     * @param refreshToken      lifetime of a refresh token (each refresh rotates it)
     */
    public record Tokens(@DefaultValue("60s") Duration authorizationCode, @DefaultValue("5m") Duration accessToken,
                         @DefaultValue("5m") Duration idToken, @DefaultValue("8h") Duration refreshToken) {
    }
}

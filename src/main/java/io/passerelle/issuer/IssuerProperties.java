package io.passerelle.issuer;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The issuer's part of config/application.yml (prefix {@code passerelle}).
 *
 * @param issuer    the issuer identifier in discovery and every token; https, or http for localhost only
 * @param configDir the folder holding {@code clients/} and {@code connectors/}
 * @param tokens    token lifetimes, applied to every portal
 */
@ConfigurationProperties("passerelle")
public record IssuerProperties(URI issuer, @DefaultValue("./config") Path configDir, @DefaultValue Tokens tokens) {

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
     * @param authorizationCode lifetime of an authorization code
     * @param accessToken       lifetime of an access token
     * @param idToken           lifetime of an ID token
     * @param refreshToken      lifetime of a refresh token (each refresh rotates it)
     */
    public record Tokens(@DefaultValue("60s") Duration authorizationCode, @DefaultValue("5m") Duration accessToken,
                         @DefaultValue("5m") Duration idToken, @DefaultValue("8h") Duration refreshToken) {
    }
}

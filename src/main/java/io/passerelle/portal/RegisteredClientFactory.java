package io.passerelle.portal;

import java.net.URI;
import java.util.Objects;

import io.passerelle.config.ConfigFileException;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * Maps a validated {@link PortalConfig} onto a Spring Authorization Server {@link RegisteredClient}.
 * Passerelle-specific settings travel in the client and token settings under {@code passerelle.*}
 * names; they hold Strings (and one Duration, like the server's own lifetimes) so that they survive
 * the JSON serialisation of a JDBC client repository.
 */
public final class RegisteredClientFactory {

    /** Inline public JWK Set (JSON) for private_key_jwt clients without a jwks_uri. */
    public static final String SETTING_JWKS = "passerelle.jwks";
    /** Sector identifier shared by portals that get the same pairwise subjects. */
    public static final String SETTING_SECTOR = "passerelle.sector";
    /** {@code pairwise} or {@code public}. */
    public static final String SETTING_SUBJECT_TYPE = "passerelle.subject-type";
    /** {@code low}, {@code substantial} or {@code high}. */
    public static final String SETTING_MINIMUM_LOA = "passerelle.minimum-loa";
    /** {@code refuse} or {@code trim}. */
    public static final String SETTING_SCOPE_POLICY = "passerelle.scope-policy";
    /** {@code true} or {@code false}. */
    public static final String SETTING_CONSENT_EXEMPT = "passerelle.consent-exempt";
    /**
     * ID token lifetime (a {@link java.time.Duration}) in the token settings: Spring Authorization
     * Server 7.1 has no such setting (its JwtGenerator fixes 30 minutes), so a token customizer must
     * apply this one to the {@code exp} claim.
     */
    public static final String SETTING_ID_TOKEN_TIME_TO_LIVE = "passerelle.id-token-time-to-live";

    private final PasswordEncoder passwordEncoder;
    private final TokenLifetimes lifetimes;

    public RegisteredClientFactory(PasswordEncoder passwordEncoder, TokenLifetimes lifetimes) {
        this.passwordEncoder = Objects.requireNonNull(passwordEncoder, "passwordEncoder");
        this.lifetimes = Objects.requireNonNull(lifetimes, "lifetimes");
    }

    public RegisteredClient create(PortalConfig portal) {
        // The id is the client_id so that reloading the files replaces (upserts) the same client.
        RegisteredClient.Builder builder = RegisteredClient.withId(portal.clientId())
                .clientId(portal.clientId())
                .clientName(portal.clientName().get("en"))
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUris(uris -> portal.redirectUris().stream().map(URI::toString).forEach(uris::add))
                .postLogoutRedirectUris(uris -> portal.postLogoutRedirectUris().stream().map(URI::toString).forEach(uris::add))
                .scopes(scopes -> scopes.addAll(portal.scopes()))
                .clientSettings(clientSettings(portal))
                .tokenSettings(tokenSettings(portal));
        switch (portal.authMethod()) {
            case PRIVATE_KEY_JWT -> builder
                    .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                    .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN);
            case CLIENT_SECRET_BASIC -> builder
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .clientSecret(encodeSecret(portal))
                    .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN);
            case CLIENT_SECRET_POST -> builder
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                    .clientSecret(encodeSecret(portal))
                    .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN);
            // A public client cannot keep a refresh token safe, so it gets none.
            case NONE -> builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
        }
        return builder.build();
    }

    private String encodeSecret(PortalConfig portal) {
        try {
            return passwordEncoder.encode(portal.clientSecret());
        } catch (IllegalArgumentException e) {
            // e.g. BCrypt refuses secrets over 72 bytes; report it against the file, never echoing the secret.
            throw new ConfigFileException(portal.sourceFile(), "client_secret",
                    "the resolved secret cannot be hashed: " + e.getMessage(), e);
        }
    }

    private static ClientSettings clientSettings(PortalConfig portal) {
        ClientSettings.Builder settings = ClientSettings.builder()
                .requireProofKey(portal.pkceRequired())
                // Consent is asked by Passerelle's own consent pages (purpose, legal basis, languages).
                .requireAuthorizationConsent(false)
                .setting(SETTING_SECTOR, portal.sector())
                .setting(SETTING_SUBJECT_TYPE, portal.subjectType().configName())
                .setting(SETTING_MINIMUM_LOA, portal.minimumLoa().configName())
                .setting(SETTING_SCOPE_POLICY, portal.scopePolicy().configName())
                .setting(SETTING_CONSENT_EXEMPT, Boolean.toString(portal.consentExempt()));
        if (portal.authMethod() == PortalConfig.AuthMethod.PRIVATE_KEY_JWT) {
            settings.tokenEndpointAuthenticationSigningAlgorithm(signatureAlgorithm(portal.signingAlg()));
        }
        if (portal.jwksUri() != null) {
            settings.jwkSetUrl(portal.jwksUri().toString());
        }
        if (portal.jwks() != null) {
            // toString(true): public members only, even if a private key ever slipped through.
            settings.setting(SETTING_JWKS, portal.jwks().toString(true));
        }
        return settings.build();
    }

    private TokenSettings tokenSettings(PortalConfig portal) {
        return TokenSettings.builder()
                .authorizationCodeTimeToLive(lifetimes.authorizationCode())
                .accessTokenTimeToLive(lifetimes.accessToken())
                .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                .refreshTokenTimeToLive(lifetimes.refreshToken())
                // Rotate refresh tokens: a stolen one stops working once the portal uses the next.
                .reuseRefreshTokens(false)
                .idTokenSignatureAlgorithm(signatureAlgorithm(portal.idTokenSigningAlg()))
                .setting(SETTING_ID_TOKEN_TIME_TO_LIVE, lifetimes.idToken())
                .build();
    }

    private static SignatureAlgorithm signatureAlgorithm(String name) {
        SignatureAlgorithm algorithm = SignatureAlgorithm.from(name);
        if (algorithm == null) {
            throw new IllegalArgumentException("unsupported signature algorithm " + name);
        }
        return algorithm;
    }
}

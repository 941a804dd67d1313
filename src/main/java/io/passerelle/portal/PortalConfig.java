package io.passerelle.portal;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.nimbusds.jose.jwk.JWKSet;

import io.passerelle.connector.Loa;

/**
 * One portal (OAuth client) as validated from {@code config/clients/<client_id>.yml}. Instances
 * are only built by {@link PortalConfigLoader}, which guarantees the cross-field rules (for example
 * a client secret only with {@link AuthMethod#CLIENT_SECRET_BASIC} or {@link AuthMethod#CLIENT_SECRET_POST}).
 *
 * @param clientSecret the resolved secret (never the placeholder); left out of {@link #toString()}
 * @param jwks public keys only, or null
 * @param claimAliases Passerelle claim name → the name this portal receives it under (e.g. {@code egovNRN})
 * @param backchannelLogoutUri where logout tokens are posted when a citizen signs out (OIDC Back-Channel
 *        Logout 1.0), or null
 * @param pkceRequired false only for a confidential portal whose file says {@code pkce: optional}
 * @param introspectionClients the other portals (resource servers) allowed to introspect this portal's
 *        tokens; any other caller but the portal itself learns only {@code active: false}
 * @param minors whether the portal serves minors ({@code minors: allow}); by default ({@code refuse}) a citizen under
 *               18 by the verified birth date, or signed in with a Kids-ID, is not signed in to it
 * @param allowedKeys the connector ids (keys) this portal accepts ({@code allowed_keys}); empty: every key
 * @param sourceFile the file it was read from, as given, for messages
 */
public record PortalConfig(
        String clientId,
        Map<String, String> clientName,
        List<URI> redirectUris,
        List<URI> postLogoutRedirectUris,
        AuthMethod authMethod,
        String signingAlg,
        URI jwksUri,
        JWKSet jwks,
        String clientSecret,
        List<String> scopes,
        Map<String, String> purpose,
        String legalBasis,
        String sector,
        SubjectType subjectType,
        Loa minimumLoa,
        String idTokenSigningAlg,
        boolean consentExempt,
        ScopePolicy scopePolicy,
        Map<String, String> claimAliases,
        URI backchannelLogoutUri,
        boolean pkceRequired,
        List<String> introspectionClients,
        Minors minors,
        List<String> allowedKeys,
        String sourceFile) {

    public PortalConfig {
        Objects.requireNonNull(clientId, "clientId");
        clientName = orderedCopy(clientName);
        redirectUris = List.copyOf(redirectUris);
        postLogoutRedirectUris = postLogoutRedirectUris == null ? List.of() : List.copyOf(postLogoutRedirectUris);
        Objects.requireNonNull(authMethod, "authMethod");
        scopes = List.copyOf(scopes);
        purpose = orderedCopy(purpose);
        Objects.requireNonNull(sector, "sector");
        Objects.requireNonNull(subjectType, "subjectType");
        Objects.requireNonNull(minimumLoa, "minimumLoa");
        Objects.requireNonNull(idTokenSigningAlg, "idTokenSigningAlg");
        Objects.requireNonNull(scopePolicy, "scopePolicy");
        claimAliases = claimAliases == null ? Map.of() : orderedCopy(claimAliases);
        introspectionClients = introspectionClients == null ? List.of() : List.copyOf(introspectionClients);
        minors = minors == null ? Minors.REFUSE : minors;
        allowedKeys = allowedKeys == null ? List.of() : List.copyOf(allowedKeys);
    }

    /** Whether a citizen may sign in to this portal with the key (connector) {@code connectorId}. */
    public boolean acceptsKey(String connectorId) {
        return allowedKeys.isEmpty() || allowedKeys.contains(connectorId);
    }

    /** The name this portal receives a claim under: its alias, or Passerelle's name. */
    public String claimName(String claim) {
        return claimAliases.getOrDefault(claim, claim);
    }

    /** {@code token_endpoint_auth_method}. */
    public enum AuthMethod {
        PRIVATE_KEY_JWT,
        CLIENT_SECRET_BASIC,
        CLIENT_SECRET_POST,
        NONE;

        /** A portal that authenticates itself (a secret or a key), as opposed to a public client. */
        public boolean confidential() {
            return this != NONE;
        }

        /** The secret-based methods: the same secret rules, only where the secret travels differs. */
        public boolean usesSecret() {
            return this == CLIENT_SECRET_BASIC || this == CLIENT_SECRET_POST;
        }

        /** The RFC 7591 name used in the file, e.g. {@code private_key_jwt}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** OIDC {@code subject_type}: pairwise subjects stop portals in different sectors linking users. */
    public enum SubjectType {
        PAIRWISE,
        PUBLIC;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What to do when an authorization request asks for scopes beyond the configured ones. */
    public enum ScopePolicy {
        /** Reject the request ({@code invalid_scope}). */
        REFUSE,
        /** Drop the extra scopes and continue. */
        TRIM;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code minors}: a portal that never said it serves children does not get them. */
    public enum Minors {
        ALLOW,
        REFUSE;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static Map<String, String> orderedCopy(Map<String, String> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** Like the generated one, but never prints the client secret. */
    @Override
    public String toString() {
        return "PortalConfig[clientId=" + clientId
                + ", clientName=" + clientName
                + ", redirectUris=" + redirectUris
                + ", postLogoutRedirectUris=" + postLogoutRedirectUris
                + ", authMethod=" + authMethod
                + ", signingAlg=" + signingAlg
                + ", jwksUri=" + jwksUri
                + ", jwks=" + (jwks == null ? null : jwks.getKeys().size() + " key(s)")
                + ", clientSecret=" + (clientSecret == null ? null : "[hidden]")
                + ", scopes=" + scopes
                + ", purpose=" + purpose
                + ", legalBasis=" + legalBasis
                + ", sector=" + sector
                + ", subjectType=" + subjectType
                + ", minimumLoa=" + minimumLoa
                + ", idTokenSigningAlg=" + idTokenSigningAlg
                + ", consentExempt=" + consentExempt
                + ", scopePolicy=" + scopePolicy
                + ", claimAliases=" + claimAliases
                + ", backchannelLogoutUri=" + backchannelLogoutUri
                + ", pkceRequired=" + pkceRequired
                + ", introspectionClients=" + introspectionClients
                + ", minors=" + minors
                + ", allowedKeys=" + allowedKeys
                + ", sourceFile=" + sourceFile + "]";
    }
}

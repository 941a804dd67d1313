package io.passerelle.portal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import io.passerelle.config.ConfigFileException;
import io.passerelle.config.YamlConfigFile;
import io.passerelle.connector.Loa;
import io.passerelle.portal.PortalConfig.AuthMethod;
import io.passerelle.portal.PortalConfig.ScopePolicy;
import io.passerelle.portal.PortalConfig.SubjectType;

/**
 * Reads and validates every portal file in {@code config/clients/}. Any problem stops the start
 * with a {@link ConfigFileException} naming the file, the field and the reason: a portal that
 * silently runs with a half-understood configuration is worse than one that does not run.
 */
public final class PortalConfigLoader {

    private static final java.util.regex.Pattern ALIAS = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_.:-]{0,99}");
    /** ID token and access token claims set by the protocol (OIDC Core 2, RFC 9068): never an alias. */
    private static final Set<String> PROTOCOL_CLAIMS = Set.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti",
            "auth_time", "nonce", "acr", "amr", "azp", "sid", "at_hash", "c_hash", "scope", "client_id", "cnf");

    public static final List<String> LANGUAGES = List.of("en", "fr", "nl", "de");
    public static final List<String> SUPPORTED_SCOPES =
            List.of("openid", "profile", "email", "address", "phone", "national_number", "age", "offline_access");
    public static final List<String> SIGNING_ALGS = List.of("RS256", "PS256", "ES256");
    public static final int MIN_SECRET_LENGTH = 32;

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
    private static final Set<String> FIELDS = Set.of("client_id", "client_name", "redirect_uris",
            "post_logout_redirect_uris", "token_endpoint_auth_method", "token_endpoint_auth_signing_alg", "jwks_uri",
            "jwks", "client_secret", "scope", "purpose", "legal_basis", "sector", "subject_type", "minimum_loa",
            "id_token_signed_response_alg", "consent_exempt", "scope_policy", "claim_aliases", "backchannel_logout_uri",
            "pkce", "introspection_clients", "minors", "allowed_keys");

    /**
     * Loads {@code *.yml} and {@code *.yaml} files (sorted by name; hidden files are skipped). A
     * missing or empty folder gives an empty list.
     *
     * @param placeholderResolver resolves a {@code ${NAME}} reference, throwing
     *        {@link IllegalArgumentException} when it cannot (as {@code Environment::resolveRequiredPlaceholders} does)
     */
    public List<PortalConfig> load(Path clientsDir, UnaryOperator<String> placeholderResolver) {
        List<PortalConfig> portals = new ArrayList<>();
        Map<String, String> fileByClientId = new HashMap<>();
        for (Path file : listFiles(clientsDir)) {
            PortalConfig portal = parse(YamlConfigFile.read(file), baseName(file), placeholderResolver);
            String previous = fileByClientId.putIfAbsent(portal.clientId(), portal.sourceFile());
            if (previous != null) {
                throw new ConfigFileException(portal.sourceFile(), "client_id",
                        "client_id " + portal.clientId() + " is already defined in " + previous);
            }
            portals.add(portal);
        }
        return List.copyOf(portals);
    }

    /**
     * One portal file's content, as read once by a reload (which hashes the same bytes it parses), with the
     * same rules as {@link #load}; the duplicate client_id rule across files is the caller's.
     */
    public PortalConfig parse(Path file, byte[] content, UnaryOperator<String> placeholderResolver) {
        return parse(YamlConfigFile.parse(file.toString(), content), baseName(file), placeholderResolver);
    }

    /** The portal files of a folder, as {@link #load} reads them: sorted by name, hidden files skipped. */
    public static List<Path> listFiles(Path dir) {
        if (!Files.exists(dir)) {
            return List.of();
        }
        if (!Files.isDirectory(dir)) {
            throw new ConfigFileException(dir.toString(), "", "is not a folder");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries
                    .filter(path -> isPortalFile(path.getFileName().toString()))
                    .filter(Files::isRegularFile)
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new ConfigFileException(dir.toString(), "", "cannot be listed: " + e, e);
        }
    }

    private static boolean isPortalFile(String name) {
        // Case-insensitive so that City.YML is rejected by the client_id rule instead of being ignored.
        String lower = name.toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (lower.endsWith(".yml") || lower.endsWith(".yaml"));
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    private static PortalConfig parse(YamlConfigFile yaml, String expectedClientId, UnaryOperator<String> resolver) {
        // Unknown fields first: a typo such as redirect_uri must be reported as such, not as a
        // missing redirect_uris.
        yaml.rejectUnknownFields(FIELDS);

        String clientId = identifier(yaml, "client_id", yaml.requiredString("client_id"));
        if (!clientId.equals(expectedClientId)) {
            throw yaml.error("client_id", "must equal the file name without extension ('" + expectedClientId
                    + "'), found '" + clientId + "'");
        }
        Map<String, String> clientName = yaml.requiredLanguageMap("client_name", LANGUAGES);
        List<URI> redirectUris = uris(yaml, "redirect_uris", issuerRelative(yaml.requiredStringList("redirect_uris"), resolver));
        List<URI> postLogoutRedirectUris =
                uris(yaml, "post_logout_redirect_uris",
                        issuerRelative(yaml.optionalStringList("post_logout_redirect_uris"), resolver));

        AuthMethod authMethod = AuthMethod.valueOf(yaml.requiredOneOf("token_endpoint_auth_method",
                List.of("private_key_jwt", "client_secret_basic", "client_secret_post", "none")).toUpperCase(Locale.ROOT));
        rejectContradictions(yaml, authMethod);

        String signingAlg = null;
        URI jwksUri = null;
        JWKSet jwks = null;
        String clientSecret = null;
        switch (authMethod) {
            case PRIVATE_KEY_JWT -> {
                signingAlg = yaml.optionalOneOf("token_endpoint_auth_signing_alg", SIGNING_ALGS, "RS256");
                if (yaml.has("jwks_uri") && yaml.has("jwks")) {
                    throw yaml.error("jwks", "give either jwks_uri or jwks, not both");
                }
                if (yaml.has("jwks_uri")) {
                    jwksUri = uri(yaml, "jwks_uri", yaml.requiredString("jwks_uri"));
                } else if (yaml.has("jwks")) {
                    jwks = jwks(yaml.requiredSection("jwks"), signingAlg);
                } else {
                    throw yaml.error("jwks_uri", "is required for private_key_jwt (or give the keys inline in jwks)");
                }
            }
            case CLIENT_SECRET_BASIC, CLIENT_SECRET_POST -> {
                clientSecret = yaml.optionalSecret("client_secret", resolver, secretVariable(clientId))
                        .orElseThrow(() -> yaml.error("client_secret", "is required for "
                                + authMethod.configName() + "; reference it from the environment, e.g. ${"
                                        + secretVariable(clientId) + "}"));
                if (clientSecret.length() < MIN_SECRET_LENGTH) {
                    throw yaml.error("client_secret", "the resolved secret is too short: at least "
                            + MIN_SECRET_LENGTH + " characters are required");
                }
            }
            case NONE -> {
                // A public client proves possession with PKCE only (required for every client).
            }
        }

        List<String> scopes = scopes(yaml, authMethod);
        Map<String, String> purpose = yaml.requiredLanguageMap("purpose", LANGUAGES);
        String legalBasis = yaml.optionalString("legal_basis").orElse(null);
        if (legalBasis == null && scopes.contains("national_number")) {
            throw yaml.error("legal_basis", "is required when scope contains national_number");
        }
        String sector = yaml.optionalString("sector").map(value -> identifier(yaml, "sector", value)).orElse(clientId);
        SubjectType subjectType = SubjectType.valueOf(
                yaml.optionalOneOf("subject_type", List.of("pairwise", "public"), "pairwise").toUpperCase(Locale.ROOT));
        Loa minimumLoa = Loa.fromName(
                yaml.optionalOneOf("minimum_loa", List.of("low", "substantial", "high"), "substantial"));
        String idTokenSigningAlg = yaml.optionalOneOf("id_token_signed_response_alg", SIGNING_ALGS, "RS256");
        boolean consentExempt = yaml.optionalBoolean("consent_exempt", false);
        ScopePolicy scopePolicy = ScopePolicy.valueOf(
                yaml.optionalOneOf("scope_policy", List.of("refuse", "trim"), "refuse").toUpperCase(Locale.ROOT));

        Map<String, String> claimAliases = claimAliases(yaml, scopes);
        // Back-Channel Logout 1.0, 2.2: absolute, may hold a query, never a fragment; https as for every URI here.
        URI backchannelLogoutUri = yaml.optionalString("backchannel_logout_uri")
                .map(value -> uri(yaml, "backchannel_logout_uri", issuerRelative(List.of(value), resolver).get(0)))
                .orElse(null);
        boolean pkceRequired = pkceRequired(yaml, authMethod);
        List<String> introspectionClients = introspectionClients(yaml, clientId);
        PortalConfig.Minors minors = PortalConfig.Minors.valueOf(
                yaml.optionalOneOf("minors", List.of("allow", "refuse"), "refuse").toUpperCase(Locale.ROOT));
        // Only the syntax here; that each names a configured key is checked at start (broker.PortalKeys).
        List<String> allowedKeys = yaml.optionalStringList("allowed_keys");
        for (int i = 0; i < allowedKeys.size(); i++) {
            identifier(yaml, "allowed_keys[" + i + "]", allowedKeys.get(i));
        }

        return new PortalConfig(clientId, clientName, redirectUris, postLogoutRedirectUris, authMethod, signingAlg,
                jwksUri, jwks, clientSecret, scopes, purpose, legalBasis, sector, subjectType, minimumLoa,
                idTokenSigningAlg, consentExempt, scopePolicy, claimAliases, backchannelLogoutUri, pkceRequired,
                introspectionClients, minors, allowedKeys, yaml.file());
    }

    /**
     * {@code pkce}: {@code required} (default) or {@code optional}. RFC 9700 2.1.1 lets a confidential
     * client rely on the OpenID Connect nonce instead of PKCE against code injection; a public client has
     * nothing else (no authentication at the token endpoint), so it must keep PKCE.
     */
    private static boolean pkceRequired(YamlConfigFile yaml, AuthMethod authMethod) {
        String pkce = yaml.optionalOneOf("pkce", List.of("required", "optional"), "required");
        if (pkce.equals("optional") && !authMethod.confidential()) {
            throw yaml.error("pkce", "optional is only allowed for a confidential portal (private_key_jwt,"
                    + " client_secret_basic or client_secret_post): a public client"
                    + " (token_endpoint_auth_method: none) has no other defence against code injection");
        }
        return pkce.equals("required");
    }

    /**
     * {@code introspection_clients}: the resource servers (other portals) allowed to introspect this
     * portal's tokens. Only the client_id syntax is checked: each file loads on its own, so the named
     * portal may be registered later (an unknown caller simply never authenticates).
     */
    private static List<String> introspectionClients(YamlConfigFile yaml, String clientId) {
        List<String> clients = yaml.optionalStringList("introspection_clients");
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < clients.size(); i++) {
            String field = "introspection_clients[" + i + "]";
            String client = identifier(yaml, field, clients.get(i));
            if (client.equals(clientId)) {
                throw yaml.error(field, "a portal may always introspect its own tokens; remove " + client);
            }
            if (!seen.add(client)) {
                throw yaml.error(field, "duplicates introspection_clients[" + clients.indexOf(client) + "]");
            }
        }
        return List.copyOf(seen);
    }

    /**
     * {@code claim_aliases}: a portal migrating from another federation keeps its code (e.g.
     * {@code national_number: egovNRN}). Only claims its scopes can release may be renamed, to a name
     * that is not a protocol claim and not another released claim, so an alias can never shadow one.
     */
    private static Map<String, String> claimAliases(YamlConfigFile yaml, List<String> scopes) {
        Map<String, String> aliases = yaml.optionalStringMap("claim_aliases");
        Set<String> releasable = ScopeClaims.claimsOf(scopes);
        Set<String> used = new java.util.HashSet<>();
        for (Map.Entry<String, String> alias : aliases.entrySet()) {
            String field = "claim_aliases." + alias.getKey();
            if (!releasable.contains(alias.getKey())) {
                throw yaml.error(field, "is not a claim this portal's scopes release; releasable: " + releasable);
            }
            String name = alias.getValue();
            if (!ALIAS.matcher(name).matches()) {
                throw yaml.error(field, "must be a claim name of letters, digits, '_', '-', '.' or ':' (got '" + name + "')");
            }
            if (PROTOCOL_CLAIMS.contains(name) || ScopeClaims.isPasserelleClaim(name) && !name.equals(alias.getKey())) {
                throw yaml.error(field, "'" + name + "' is a claim name of its own and cannot be an alias");
            }
            if (!used.add(name)) {
                throw yaml.error(field, "'" + name + "' is already the alias of another claim");
            }
        }
        return aliases;
    }

    private static void rejectContradictions(YamlConfigFile yaml, AuthMethod method) {
        if (method != AuthMethod.PRIVATE_KEY_JWT) {
            for (String key : List.of("token_endpoint_auth_signing_alg", "jwks_uri", "jwks")) {
                if (yaml.has(key)) {
                    throw yaml.error(key, method == AuthMethod.NONE
                            ? "a public client (token_endpoint_auth_method: none) has no keys; remove " + key
                            : "is only used with token_endpoint_auth_method: private_key_jwt");
                }
            }
        }
        if (!method.usesSecret() && yaml.has("client_secret")) {
            throw yaml.error("client_secret", method == AuthMethod.NONE
                    ? "a public client (token_endpoint_auth_method: none) has no secret; remove client_secret"
                    : "is only used with token_endpoint_auth_method: client_secret_basic or client_secret_post");
        }
    }

    private static String identifier(YamlConfigFile yaml, String key, String value) {
        if (!IDENTIFIER.matcher(value).matches()) {
            throw yaml.error(key, "must be 2 to 64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter"
                    + " or digit (found '" + value + "')");
        }
        return value;
    }

    /**
     * A URI may start with {@code ${passerelle.issuer}}: a portal served by Passerelle itself (the demo portals)
     * follows the issuer, e.g. on another port. No other placeholder is read in a URI.
     */
    private static List<String> issuerRelative(List<String> values, UnaryOperator<String> resolver) {
        String issuer = "${passerelle.issuer}";
        return values.stream().map(v -> v.startsWith(issuer)
                ? resolver.apply(issuer).replaceFirst("/+$", "") + v.substring(issuer.length()) : v).toList();
    }

    private static List<URI> uris(YamlConfigFile yaml, String key, List<String> values) {
        List<URI> uris = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            String field = key + "[" + i + "]";
            URI uri = uri(yaml, field, values.get(i));
            int earlier = uris.indexOf(uri);
            if (earlier >= 0) {
                throw yaml.error(field, "duplicates " + key + "[" + earlier + "]");
            }
            uris.add(uri);
        }
        return uris;
    }

    /** Redirect and key-set URIs: absolute https, or http on the loopback for development. */
    private static URI uri(YamlConfigFile yaml, String field, String value) {
        if (value.contains("*")) {
            throw yaml.error(field, "must not contain a wildcard '*': URIs are compared exactly");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw yaml.error(field, "is not a valid URI: " + e.getMessage());
        }
        if (!uri.isAbsolute() || uri.isOpaque()) {
            throw yaml.error(field, "must be an absolute URI such as https://portal.example/callback");
        }
        if (uri.getRawFragment() != null) {
            throw yaml.error(field, "must not contain a fragment (#...)");
        }
        if (uri.getHost() == null) {
            throw yaml.error(field, "must name a host");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        boolean local = LOCAL_HOSTS.contains(uri.getHost().toLowerCase(Locale.ROOT));
        if (!scheme.equals("https") && !(scheme.equals("http") && local)) {
            throw yaml.error(field, "must use https (http is allowed only for localhost)");
        }
        return uri;
    }

    private static JWKSet jwks(YamlConfigFile section, String signingAlg) {
        List<YamlConfigFile> keySections = section.sections("keys");
        if (keySections.isEmpty()) {
            throw section.error("keys", "is required: a JWK Set is { keys: [ ... ] }");
        }
        List<JWK> keys = new ArrayList<>();
        for (YamlConfigFile keySection : keySections) {
            JWK key;
            try {
                key = JWK.parse(keySection.asMap());
            } catch (ParseException | RuntimeException e) {
                throw keySection.error("", "is not a valid JWK: " + e.getMessage());
            }
            if (key.isPrivate()) {
                throw keySection.error("", "contains a private key; publish only public keys");
            }
            if (key instanceof RSAKey && key.size() < 2048) {
                throw keySection.error("", "RSA key of " + key.size() + " bits; at least 2048 are required");
            }
            keys.add(key);
        }
        if (keys.stream().noneMatch(key -> usable(key, signingAlg))) {
            throw section.error("", "has no key usable with " + signingAlg + " (needs a public "
                    + (signingAlg.startsWith("ES") ? "EC P-256" : "RSA") + " signing key)");
        }
        return new JWKSet(keys);
    }

    private static boolean usable(JWK key, String signingAlg) {
        boolean type = signingAlg.equals("ES256")
                ? key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())
                : key instanceof RSAKey;
        boolean use = key.getKeyUse() == null || KeyUse.SIGNATURE.equals(key.getKeyUse());
        boolean alg = key.getAlgorithm() == null || key.getAlgorithm().getName().equals(signingAlg);
        return type && use && alg;
    }

    private static List<String> scopes(YamlConfigFile yaml, AuthMethod authMethod) {
        List<String> scopes = yaml.requiredStringList("scope");
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < scopes.size(); i++) {
            String scope = scopes.get(i);
            String field = "scope[" + i + "]";
            if (!SUPPORTED_SCOPES.contains(scope)) {
                throw yaml.error(field, "unknown scope '" + scope + "' (supported: "
                        + String.join(", ", SUPPORTED_SCOPES) + ")");
            }
            if (!seen.add(scope)) {
                throw yaml.error(field, "duplicates scope[" + scopes.indexOf(scope) + "] (" + scope + ")");
            }
            if (scope.equals("offline_access") && authMethod == AuthMethod.NONE) {
                throw yaml.error(field, "offline_access needs refresh tokens, which public clients"
                        + " (token_endpoint_auth_method: none) do not get");
            }
        }
        if (!seen.contains("openid")) {
            throw yaml.error("scope", "must contain openid");
        }
        return scopes;
    }

    /** CITY_PORTAL_SECRET for city-portal: the variable name suggested in messages. */
    static String secretVariable(String clientId) {
        return clientId.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_SECRET";
    }
}

package io.passerelle.connector.oidc;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JWSAlgorithm;

import io.passerelle.config.YamlConfigFile;
import io.passerelle.connector.ConnectorSettings;
import io.passerelle.connector.Loa;
import io.passerelle.connector.oidc.OidcConnectorConfig.ClientAuth;
import io.passerelle.connector.oidc.OidcConnectorConfig.RequestObject;
import io.passerelle.connector.oidc.OidcConnectorConfig.UserInfo;

/**
 * Reads and validates the oidc-specific fields of a connector file (documented on
 * {@link OidcConnectorConfig}). Every mistake is a ConfigFileException naming the file and the field, so a
 * bad file stops the start instead of failing a citizen's login later.
 */
final class OidcConfigReader {

    /** This type's own fields; the factory adds ConnectorRegistry.COMMON_FIELDS. */
    static final Set<String> FIELDS = Set.of("issuer", "discovery_uri", "client_id", "client_auth", "client_secret",
            "client_auth_signing_alg", "scopes", "extra_scopes", "request_object", "request_object_signing_alg",
            "id_token_signing_alg", "id_token_encrypted", "userinfo", "userinfo_signing_alg", "request_acr",
            "acr_mapping", "claims_request", "claim_mapping", "amr", "max_age", "clock_skew", "connect_timeout",
            "read_timeout", "discovery_refresh", "jwks_min_refresh_interval");

    /** What Passerelle's key ring holds a signing key for. */
    static final List<String> OWN_SIGNING_ALGS = List.of("RS256", "PS256", "ES256");
    /** Asymmetric JWS algorithms a provider may be pinned to; none and HS* are never among them. */
    static final List<String> PROVIDER_SIGNING_ALGS =
            List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");
    private static final List<String> LOA_NAMES = List.of("low", "substantial", "high");
    /** Claims the broker sets itself from the verified login; a mapping must not overwrite them. */
    private static final Set<String> RESERVED_TARGETS = Set.of("sub", "iss", "aud", "acr", "amr", "auth_time", "sid");
    private static final Pattern TARGET = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private OidcConfigReader() {
    }

    static OidcConnectorConfig read(ConnectorSettings common, YamlConfigFile file, UnaryOperator<String> resolver) {
        String issuer = file.requiredString("issuer");
        // A provider served by Passerelle itself (the demo mobile-ID) follows the issuer: no other placeholder here.
        if (issuer.startsWith("${passerelle.issuer}")) {
            issuer = resolver.apply("${passerelle.issuer}").replaceFirst("/+$", "")
                    + issuer.substring("${passerelle.issuer}".length());
        }
        url(file, "issuer", issuer);
        if (issuer.contains("?") || issuer.contains("#")) {
            throw file.error("issuer", "must not have a query or fragment (OIDC Discovery 2)");
        }
        String discovery = file.optionalString("discovery_uri")
                .orElse(issuer.replaceFirst("/+$", "") + "/.well-known/openid-configuration");
        URI discoveryUri = url(file, "discovery_uri", discovery);
        String clientId = file.requiredString("client_id");

        ClientAuth clientAuth = ClientAuth.valueOf(upper(file.requiredOneOf("client_auth",
                List.of("client_secret_basic", "private_key_jwt"))));
        String secret = null;
        if (clientAuth == ClientAuth.CLIENT_SECRET_BASIC) {
            secret = file.optionalSecret("client_secret", resolver,
                    common.id().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_CLIENT_SECRET")
                    .orElseThrow(() -> file.error("client_secret", "is required with client_auth: client_secret_basic"));
        } else if (file.has("client_secret")) {
            throw file.error("client_secret", "is only used with client_auth: client_secret_basic; remove it");
        }
        JWSAlgorithm clientAuthAlg = JWSAlgorithm.parse(file.optionalOneOf("client_auth_signing_alg", OWN_SIGNING_ALGS, "RS256"));

        List<String> scopes = scopes(file);
        RequestObject requestObject = RequestObject.valueOf(upper(file.optionalOneOf("request_object",
                List.of("none", "signed", "signed_and_encrypted"), "none")));
        JWSAlgorithm requestObjectAlg = JWSAlgorithm.parse(file.optionalOneOf("request_object_signing_alg", OWN_SIGNING_ALGS, "RS256"));

        JWSAlgorithm idTokenAlg = providerAlg(file, "id_token_signing_alg", null);
        boolean idTokenEncrypted = file.optionalBoolean("id_token_encrypted", false);
        UserInfo userInfo = userInfo(file);
        JWSAlgorithm userInfoAlg = providerAlg(file, "userinfo_signing_alg", idTokenAlg);

        Map<String, Loa> acrMapping = acrMapping(file);
        Map<Loa, String> requestAcr = requestAcr(file, common.loa(), acrMapping);
        Map<String, Boolean> claimsRequest = new LinkedHashMap<>();
        file.optionalStringMap("claims_request").forEach((claim, kind) -> claimsRequest.put(claim,
                switch (kind) {
                    case "essential" -> true;
                    case "voluntary" -> false;
                    default -> throw file.error("claims_request." + claim, "must be essential or voluntary");
                }));
        Map<String, String> claimMapping = claimMapping(file);

        Duration maxAge = file.has("max_age") ? duration(file, "max_age", Duration.ZERO, Duration.ZERO, Duration.ofDays(30)) : null;
        Duration skew = duration(file, "clock_skew", Duration.ofSeconds(60), Duration.ZERO, Duration.ofSeconds(300));
        Duration connect = duration(file, "connect_timeout", Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(30));
        Duration read = duration(file, "read_timeout", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(60));
        Duration refresh = duration(file, "discovery_refresh", Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofDays(7));
        Duration jwks = duration(file, "jwks_min_refresh_interval", Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofHours(1));

        return new OidcConnectorConfig(common, issuer, discoveryUri, clientId, clientAuth, secret, clientAuthAlg, scopes,
                requestObject, requestObjectAlg, idTokenAlg, idTokenEncrypted, userInfo, userInfoAlg, requestAcr,
                acrMapping, claimsRequest, claimMapping, file.optionalStringList("amr"), maxAge, skew, connect, read,
                refresh, jwks);
    }

    /**
     * An absolute https URL; plain http only to a loopback host, for tests and local demos (a provider's
     * metadata and tokens must never travel in the clear).
     */
    static URI url(YamlConfigFile file, String field, String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw file.error(field, "is not a valid URL");
        }
        String host = uri.getHost();
        boolean loopback = "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
        if (host == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()) && loopback)) {
            throw file.error(field, "must be an absolute https URL (http only for localhost)");
        }
        return uri;
    }

    private static List<String> scopes(YamlConfigFile file) {
        List<String> scopes = file.has("scopes") ? file.requiredStringList("scopes") : List.of("openid");
        if (!scopes.contains("openid")) {
            throw file.error("scopes", "must contain openid");
        }
        Set<String> all = new LinkedHashSet<>(scopes);
        all.addAll(file.optionalStringList("extra_scopes"));
        for (String scope : all) {
            if (!SCOPE.matcher(scope).matches()) {
                throw file.error("scopes", "'" + scope + "' is not a valid scope token (RFC 6749 3.3)");
            }
        }
        return List.copyOf(all);
    }

    private static JWSAlgorithm providerAlg(YamlConfigFile file, String field, JWSAlgorithm defaultAlg) {
        if (defaultAlg != null && !file.has(field)) {
            return defaultAlg;
        }
        String name = file.requiredString(field);
        if (name.equalsIgnoreCase("none") || name.toUpperCase(Locale.ROOT).startsWith("HS")) {
            // none is no signature; HS* would make the provider's public key (or a shared secret) a MAC key.
            throw file.error(field, "'" + name + "' is refused: only asymmetric signatures are accepted ("
                    + String.join(", ", PROVIDER_SIGNING_ALGS) + ")");
        }
        return JWSAlgorithm.parse(file.requiredOneOf(field, PROVIDER_SIGNING_ALGS));
    }

    private static UserInfo userInfo(YamlConfigFile file) {
        Object raw = file.asMap().get("userinfo");
        if (raw == null || Boolean.FALSE.equals(raw)) {
            return UserInfo.NONE;
        }
        if (raw instanceof Boolean) {
            throw file.error("userinfo", "must be false, plain, signed or signed_and_encrypted (true says not which)");
        }
        return UserInfo.valueOf(upper(file.requiredOneOf("userinfo",
                List.of("none", "plain", "signed", "signed_and_encrypted"))));
    }

    private static Map<String, Loa> acrMapping(YamlConfigFile file) {
        Map<String, Loa> mapping = new LinkedHashMap<>();
        file.optionalStringMap("acr_mapping").forEach((acr, loa) -> mapping.put(acr, loa(file, "acr_mapping." + acr, loa)));
        return mapping;
    }

    private static Map<Loa, String> requestAcr(YamlConfigFile file, Loa cap, Map<String, Loa> acrMapping) {
        Map<Loa, String> result = new EnumMap<>(Loa.class);
        file.optionalStringMap("request_acr").forEach((name, acr) -> {
            Loa loa = loa(file, "request_acr." + name, name);
            if (!cap.satisfies(loa)) {
                throw file.error("request_acr." + name, "is above the connector's loa (" + cap.configName() + ")");
            }
            Loa answered = acrMapping.get(acr);
            if (!acrMapping.isEmpty() && (answered == null || !answered.satisfies(loa))) {
                // Otherwise asking for it would always end in a refused login.
                throw file.error("request_acr." + name, "'" + acr + "' must appear in acr_mapping at "
                        + name + " or above");
            }
            result.put(loa, acr);
        });
        return result;
    }

    private static Map<String, String> claimMapping(YamlConfigFile file) {
        Map<String, String> mapping = file.optionalStringMap("claim_mapping");
        Set<String> targets = new HashSet<>();
        for (Map.Entry<String, String> entry : mapping.entrySet()) {
            String target = entry.getValue();
            String field = "claim_mapping." + entry.getKey();
            if (!TARGET.matcher(target).matches() || RESERVED_TARGETS.contains(target)) {
                throw file.error(field, "'" + target + "' is not a Passerelle claim name (lower-case, not one of "
                        + String.join(", ", RESERVED_TARGETS) + ")");
            }
            if (!targets.add(target)) {
                // Two sources for one attribute would make the result depend on which one the provider sent.
                throw file.error(field, "'" + target + "' is already the target of another claim");
            }
        }
        return mapping;
    }

    private static Loa loa(YamlConfigFile file, String field, String name) {
        if (!LOA_NAMES.contains(name)) {
            throw file.error(field, "'" + name + "' must be one of " + String.join(", ", LOA_NAMES));
        }
        return Loa.fromName(name);
    }

    static Duration duration(YamlConfigFile file, String field, Duration defaultValue, Duration min, Duration max) {
        if (!file.has(field)) {
            return defaultValue;
        }
        String text = file.requiredString(field).trim();
        Duration value;
        Matcher m = SHORT_DURATION.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            value = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                value = Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw file.error(field, "must be a duration like 500ms, 60s, 5m, 1h or PT1H");
            }
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw file.error(field, "must be between " + min + " and " + max + " (found " + value + ")");
        }
        return value;
    }

    private static String upper(String value) {
        return value.toUpperCase(Locale.ROOT);
    }

    /** For the factory: every field this type accepts, for rejectUnknownFields. */
    static Set<String> allFields(Set<String> common) {
        Set<String> all = new HashSet<>(common);
        all.addAll(FIELDS);
        return all;
    }
}

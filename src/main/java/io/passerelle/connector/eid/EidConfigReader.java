package io.passerelle.connector.eid;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.passerelle.config.YamlConfigFile;

/**
 * Reads the eid-specific fields of a connector file; every mistake names the file and the field.
 *
 * <pre>
 * listener_url: https://eid.example.be:8443     # the eID TLS listener (passerelle.eid-listener.port)
 *                                                # URL and file fields may name Spring properties: ${passerelle.issuer}
 * trust_anchors: [certs/demo/root-ca.pem]        # PEM or DER roots (RSA and EC hierarchies may both be listed)
 * issuing_cas: [certs/demo/citizen-ca.pem, ...]  # issuing CAs, to complete chains browsers send incomplete
 * card_types:                                   # optional; tried in order, the first match wins
 *   - type: citizen                              # citizen | foreigner | kids
 *     policies: [2.16.56.12.1.1.2.2]             # authentication policy OIDs
 *     issuing_cas: [certs/demo/citizen-ca.pem]   # optional: only cards these CAs (listed above) issued
 *     loa: substantial                           # optional LoA policy: the level this rule's cards give
 *                                                # (default: the connector's loa; never above it)
 *                                                # default: citizen 2.16.56.{1,9,10,12}.1.1.2.2 and
 *                                                # foreigner 2.16.56.{1,9,10,12}.1.1.7.2 from any CA; no kids rule
 * revocation:
 *   allowed_url_prefixes: [http://ocsp.eid.belgium.be/, http://crl.eid.belgium.be/]
 *   default_ocsp_url: http://ocsp.eid.belgium.be  # optional, for certificates without AIA; must be allowed
 *   connect_timeout: 2s
 *   read_timeout: 3s
 *   ocsp_nonce: required                          # or optional (a wrong nonce is always refused)
 *   cache_size: 10000
 * </pre>
 */
final class EidConfigReader {

    static final Set<String> FIELDS = Set.of("listener_url", "trust_anchors", "issuing_cas", "card_types", "revocation");
    private static final Set<String> CARD_TYPE_FIELDS = Set.of("type", "policies", "issuing_cas", "loa");
    private static final Set<String> REVOCATION_FIELDS = Set.of("allowed_url_prefixes", "default_ocsp_url",
            "connect_timeout", "read_timeout", "ocsp_nonce", "cache_size");
    private static final Pattern OID = Pattern.compile("[0-2](\\.[0-9]+)+");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})(ms|s)");

    private EidConfigReader() {
    }

    static EidConnectorConfig read(YamlConfigFile file) {
        return read(file, UnaryOperator.identity(), io.passerelle.connector.Loa.HIGH);
    }

    /**
     * @param connectorLoa the connector's {@code loa}, which no card type rule's {@code loa} may exceed
     * @param properties resolves {@code ${name}} placeholders in the URL and file fields against Spring properties
     *                   (the demo connector names the demo PKI folder, the listener URL and the issuer this way);
     *                   throws {@link IllegalArgumentException} for a property that is not set
     */
    static EidConnectorConfig read(YamlConfigFile file, UnaryOperator<String> properties,
                                   io.passerelle.connector.Loa connectorLoa) {
        Placeholders resolve = new Placeholders(properties);
        URI listener = url(file, "listener_url", resolve.in(file, "listener_url", file.requiredString("listener_url")), true);
        List<X509Certificate> roots = certificates(file, "trust_anchors",
                resolve.in(file, "trust_anchors", file.requiredStringList("trust_anchors")));
        for (X509Certificate root : roots) {
            if (!root.getSubjectX500Principal().equals(root.getIssuerX500Principal())) {
                throw file.error("trust_anchors", "must hold self-signed roots; list issuing CAs under issuing_cas");
            }
        }
        List<X509Certificate> cas = certificates(file, "issuing_cas",
                resolve.in(file, "issuing_cas", file.optionalStringList("issuing_cas")));
        List<CardTypeRule> cardTypes = cardTypes(file, roots, cas, resolve, connectorLoa);
        YamlConfigFile revocation = file.requiredSection("revocation");
        revocation.rejectUnknownFields(REVOCATION_FIELDS);
        List<String> prefixes = resolve.in(revocation, "allowed_url_prefixes",
                revocation.requiredStringList("allowed_url_prefixes"));
        for (int i = 0; i < prefixes.size(); i++) {
            URI prefix = url(revocation, "allowed_url_prefixes[" + i + "]", prefixes.get(i), false);
            if (prefix.getPath() == null || prefix.getPath().isEmpty()) {
                // "http://ocsp.eid.belgium.be" would also allow http://ocsp.eid.belgium.be.evil.example.
                throw revocation.error("allowed_url_prefixes[" + i + "]", "must include the path, at least '/'");
            }
        }
        URI defaultOcsp = revocation.optionalString("default_ocsp_url")
                .map(u -> url(revocation, "default_ocsp_url", resolve.in(revocation, "default_ocsp_url", u), false))
                .orElse(null);
        Duration connect = duration(revocation, "connect_timeout", Duration.ofSeconds(2));
        Duration read = duration(revocation, "read_timeout", Duration.ofSeconds(3));
        boolean nonce = revocation.optionalOneOf("ocsp_nonce", List.of("required", "optional"), "required").equals("required");
        int cacheSize = revocation.optionalInt("cache_size", 10_000);
        if (cacheSize < 1 || cacheSize > 1_000_000) {
            throw revocation.error("cache_size", "must be between 1 and 1000000");
        }
        RevocationSettings defaults = RevocationSettings.defaults(prefixes);
        RevocationSettings settings = new RevocationSettings(prefixes, defaultOcsp, connect, read, nonce,
                defaults.clockSkew(), defaults.maxAgeWithoutNextUpdate(), cacheSize, defaults.maxCrlBytes());
        if (defaultOcsp != null && !settings.allowed(defaultOcsp)) {
            throw revocation.error("default_ocsp_url", "must start with one of allowed_url_prefixes");
        }
        return new EidConnectorConfig(listener, new TrustSettings(roots, cas, cardTypes), settings);
    }

    /** The certificates of the files; errors name {@code field[i]}, or {@code field} itself for a single file. */
    private static List<X509Certificate> certificates(YamlConfigFile file, String field, List<String> paths) {
        List<X509Certificate> all = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            Path path = Path.of(paths.get(i));
            String at = field.endsWith("]") ? field : field + "[" + i + "]";
            try (InputStream in = Files.newInputStream(path)) {
                CertificateFactory factory = CertificateFactory.getInstance("X.509");
                factory.generateCertificates(in).forEach(c -> all.add((X509Certificate) c));
            } catch (IOException e) {
                throw file.error(at, "cannot read " + path + ": " + e.getMessage());
            } catch (CertificateException e) {
                throw file.error(at, path + " holds no valid PEM or DER certificate");
            }
        }
        return all;
    }

    /**
     * The card type rules, or the documented citizen and foreigner defaults. A rule's CA must be one of the
     * configured CAs (else the rule names a CA no path ends in), and a rule that an earlier one already covers
     * (it could never match) is a mistake: the more specific rule, e.g. a Kids-ID CA, must come first.
     */
    private static List<CardTypeRule> cardTypes(YamlConfigFile file, List<X509Certificate> roots,
                                                List<X509Certificate> cas, Placeholders resolve,
                                                io.passerelle.connector.Loa connectorLoa) {
        if (!file.has("card_types")) {
            return CardTypeRule.defaults();
        }
        List<YamlConfigFile> sections = file.sections("card_types");
        if (sections.isEmpty()) {
            throw file.error("card_types", "must not be empty (leave it out for the citizen and foreigner defaults)");
        }
        List<String> types = java.util.Arrays.stream(CardType.values()).map(CardType::attributeValue).toList();
        List<CardTypeRule> rules = new ArrayList<>();
        for (int i = 0; i < sections.size(); i++) {
            YamlConfigFile section = sections.get(i);
            section.rejectUnknownFields(CARD_TYPE_FIELDS);
            CardType type = CardType.valueOf(section.requiredOneOf("type", types).toUpperCase(java.util.Locale.ROOT));
            Set<String> policies = oids(section, "policies");
            List<String> paths = resolve.in(section, "issuing_cas", section.optionalStringList("issuing_cas"));
            List<X509Certificate> issuers = new ArrayList<>();
            for (int j = 0; j < paths.size(); j++) {
                // One file at a time, so that the error names the file's own index.
                String field = "issuing_cas[" + j + "]";
                for (X509Certificate ca : certificates(section, field, List.of(paths.get(j)))) {
                    if (cas.stream().noneMatch(c -> CardTypeRule.sameCa(c, ca))
                            && roots.stream().noneMatch(r -> CardTypeRule.sameCa(r, ca))) {
                        throw section.error(field, "must also be listed under issuing_cas or trust_anchors");
                    }
                    issuers.add(ca);
                }
            }
            io.passerelle.connector.Loa loa = null;
            if (section.has("loa")) {
                loa = io.passerelle.connector.Loa.fromName(
                        section.requiredOneOf("loa", List.of("low", "substantial", "high")));
                if (!connectorLoa.satisfies(loa)) {
                    throw section.error("loa", "is above the connector's loa (" + connectorLoa.configName() + ")");
                }
            }
            CardTypeRule rule = new CardTypeRule(type, policies, issuers, loa);
            for (int earlier = 0; earlier < rules.size(); earlier++) {
                if (rule.shadowedBy(rules.get(earlier))) {
                    throw section.error("", "never applies: card_types[" + earlier + "] already matches every "
                            + "certificate it would; put the more specific rule first");
                }
            }
            rules.add(rule);
        }
        return List.copyOf(rules);
    }

    /** {@code ${name}} in a field's value, replaced by the Spring property; a property not set names the field. */
    private record Placeholders(UnaryOperator<String> properties) {

        String in(YamlConfigFile file, String field, String value) {
            if (!value.contains("${")) {
                return value;
            }
            try {
                return properties.apply(value);
            } catch (IllegalArgumentException e) {
                throw file.error(field, "names a property that is not set (" + e.getMessage() + ")");
            }
        }

        List<String> in(YamlConfigFile file, String field, List<String> values) {
            List<String> resolved = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                resolved.add(in(file, field + "[" + i + "]", values.get(i)));
            }
            return resolved;
        }
    }

    private static Set<String> oids(YamlConfigFile file, String field) {
        Set<String> oids = new HashSet<>();
        List<String> values = file.requiredStringList(field);
        for (int i = 0; i < values.size(); i++) {
            if (!OID.matcher(values.get(i)).matches()) {
                throw file.error(field + "[" + i + "]", "'" + values.get(i) + "' is not an OID");
            }
            oids.add(values.get(i));
        }
        return oids;
    }

    private static URI url(YamlConfigFile file, String field, String value, boolean httpsOnly) {
        try {
            URI uri = new URI(value);
            boolean https = "https".equals(uri.getScheme());
            if (uri.getHost() == null || !(https || !httpsOnly && "http".equals(uri.getScheme()))
                    || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw file.error(field, httpsOnly ? "must be an absolute https URL" : "must be an absolute http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw file.error(field, "is not a valid URL");
        }
    }

    private static Duration duration(YamlConfigFile file, String field, Duration defaultValue) {
        if (!file.has(field)) {
            return defaultValue;
        }
        Matcher m = DURATION.matcher(file.requiredString(field).trim());
        if (!m.matches()) {
            throw file.error(field, "must be a duration like 500ms or 3s");
        }
        Duration value = m.group(2).equals("ms") ? Duration.ofMillis(Long.parseLong(m.group(1)))
                : Duration.ofSeconds(Long.parseLong(m.group(1)));
        if (value.compareTo(Duration.ofMillis(100)) < 0 || value.compareTo(Duration.ofSeconds(30)) > 0) {
            throw file.error(field, "must be between 100ms and 30s");
        }
        return value;
    }
}

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.passerelle.config.YamlConfigFile;

/**
 * Reads the eid-specific fields of a connector file; every mistake names the file and the field.
 *
 * <pre>
 * listener_url: https://localhost:8443           # the eID TLS listener (passerelle.eid-listener.port)
 * trust_anchors: [certs/demo/root-ca.pem]        # PEM or DER roots (RSA and EC hierarchies may both be listed)
 * issuing_cas: [certs/demo/citizen-ca.pem, ...]  # issuing CAs, to complete chains browsers send incomplete
 * citizen_policies: [2.16.56.12.1.1.2.2]         # optional; defaults: 2.16.56.{1,9,10,12}.1.1.2.2
 * foreigner_policies: [2.16.56.12.1.1.7.2]       # optional; defaults: 2.16.56.{1,9,10,12}.1.1.7.2
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

    static final Set<String> FIELDS = Set.of("listener_url", "trust_anchors", "issuing_cas", "citizen_policies",
            "foreigner_policies", "revocation");
    private static final Set<String> REVOCATION_FIELDS = Set.of("allowed_url_prefixes", "default_ocsp_url",
            "connect_timeout", "read_timeout", "ocsp_nonce", "cache_size");
    private static final Pattern OID = Pattern.compile("[0-2](\\.[0-9]+)+");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})(ms|s)");

    private EidConfigReader() {
    }

    static EidConnectorConfig read(YamlConfigFile file) {
        URI listener = url(file, "listener_url", file.requiredString("listener_url"), true);
        List<X509Certificate> roots = certificates(file, "trust_anchors", file.requiredStringList("trust_anchors"));
        for (X509Certificate root : roots) {
            if (!root.getSubjectX500Principal().equals(root.getIssuerX500Principal())) {
                throw file.error("trust_anchors", "must hold self-signed roots; list issuing CAs under issuing_cas");
            }
        }
        List<X509Certificate> cas = certificates(file, "issuing_cas", file.optionalStringList("issuing_cas"));
        Set<String> citizen = oids(file, "citizen_policies", TrustSettings.DEFAULT_CITIZEN_POLICIES);
        Set<String> foreigner = oids(file, "foreigner_policies", TrustSettings.DEFAULT_FOREIGNER_POLICIES);
        YamlConfigFile revocation = file.requiredSection("revocation");
        revocation.rejectUnknownFields(REVOCATION_FIELDS);
        List<String> prefixes = revocation.requiredStringList("allowed_url_prefixes");
        for (int i = 0; i < prefixes.size(); i++) {
            URI prefix = url(revocation, "allowed_url_prefixes[" + i + "]", prefixes.get(i), false);
            if (prefix.getPath() == null || prefix.getPath().isEmpty()) {
                // "http://ocsp.eid.belgium.be" would also allow http://ocsp.eid.belgium.be.evil.example.
                throw revocation.error("allowed_url_prefixes[" + i + "]", "must include the path, at least '/'");
            }
        }
        URI defaultOcsp = revocation.optionalString("default_ocsp_url")
                .map(u -> url(revocation, "default_ocsp_url", u, false)).orElse(null);
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
        return new EidConnectorConfig(listener, new TrustSettings(roots, cas, citizen, foreigner), settings);
    }

    private static List<X509Certificate> certificates(YamlConfigFile file, String field, List<String> paths) {
        List<X509Certificate> all = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            Path path = Path.of(paths.get(i));
            try (InputStream in = Files.newInputStream(path)) {
                CertificateFactory factory = CertificateFactory.getInstance("X.509");
                factory.generateCertificates(in).forEach(c -> all.add((X509Certificate) c));
            } catch (IOException e) {
                throw file.error(field + "[" + i + "]", "cannot read " + path + ": " + e.getMessage());
            } catch (CertificateException e) {
                throw file.error(field + "[" + i + "]", path + " holds no valid PEM or DER certificate");
            }
        }
        return all;
    }

    private static Set<String> oids(YamlConfigFile file, String field, Set<String> defaults) {
        if (!file.has(field)) {
            return defaults;
        }
        Set<String> oids = new HashSet<>();
        for (String oid : file.requiredStringList(field)) {
            if (!OID.matcher(oid).matches()) {
                throw file.error(field, "'" + oid + "' is not an OID");
            }
            oids.add(oid);
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

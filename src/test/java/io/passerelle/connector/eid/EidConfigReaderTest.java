package io.passerelle.connector.eid;

import io.passerelle.demo.DemoCertificates;
import io.passerelle.demo.DemoPki;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.passerelle.config.ConfigFileException;
import io.passerelle.config.YamlConfigFile;
import io.passerelle.connector.ConnectorSettings;
import io.passerelle.connector.Loa;

/**
 * The eid connector file: a minimal file gets the documented defaults, and every bad field stops the start with
 * a {@link ConfigFileException} naming the file and the field, through the factory like at start-up.
 */
class EidConfigReaderTest {

    private static final String FILE = "config/connectors/eid-card.yml";
    private static final TestPki PKI = new TestPki(null, null);

    @TempDir
    Path certs;
    private Map<String, String> fields;
    private String root;
    private String cas;

    @BeforeEach
    void minimal() throws Exception {
        root = pem("root.pem", PKI.root);
        cas = pem("cas.pem", PKI.citizenCa, PKI.foreignerCa);
        fields = new LinkedHashMap<>();
        fields.put("id", "eid-card");
        fields.put("type", "eid");
        fields.put("display_name", "{en: eID, fr: eID, nl: eID, de: eID}");
        fields.put("loa", "high");
        fields.put("listener_url", "https://eid.passerelle.example");
        fields.put("trust_anchors", "[" + root + "]");
        fields.put("issuing_cas", "[" + cas + "]");
        fields.put("revocation", "{allowed_url_prefixes: ['http://ocsp.eid.belgium.be/', 'http://crl.eid.belgium.be/']}");
    }

    private String pem(String name, DemoCertificates.Issued... certificates) throws Exception {
        Path file = certs.resolve(name);
        DemoPki.pem(file, java.util.Arrays.stream(certificates).map(DemoCertificates.Issued::certificate)
                .toArray(java.security.cert.X509Certificate[]::new));
        return file.toString();
    }

    private Loa connectorLoa = Loa.HIGH;

    private EidConnectorConfig read() {
        String yaml = fields.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("\n"));
        ConnectorSettings common = new ConnectorSettings("eid-card", "eid", Map.of("en", "eID"), null, connectorLoa,
                URI.create("https://passerelle.example/broker/callback/eid-card"));
        EidConnector connector = (EidConnector) new EidConnectorFactory(Clock.systemUTC(), new org.springframework.mock.env.MockEnvironment())
                .create(common, YamlConfigFile.parse(FILE, yaml));
        return connector.config();
    }

    private void refused(String field, String reason) {
        assertThatThrownBy(this::read).isInstanceOfSatisfying(ConfigFileException.class, e -> {
            assertThat(e.file()).isEqualTo(FILE);
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.reason()).contains(reason);
        });
    }

    @Test
    void aMinimalFileGetsTheDocumentedDefaults() {
        EidConnectorConfig config = read();
        assertThat(config.listenerUrl()).isEqualTo(URI.create("https://eid.passerelle.example"));
        assertThat(config.trust().roots()).containsExactly(PKI.root.certificate());
        assertThat(config.trust().issuingCas()).containsExactly(PKI.citizenCa.certificate(), PKI.foreignerCa.certificate());
        assertThat(config.trust().cardTypes()).isEqualTo(CardTypeRule.defaults());
        RevocationSettings revocation = config.revocation();
        assertThat(revocation.defaultOcspUrl()).isNull();
        assertThat(revocation.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(revocation.readTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(revocation.nonceRequired()).isTrue();
        assertThat(revocation.cacheSize()).isEqualTo(10_000);
    }

    @Test
    void theShippedDemoFileLoadsThroughTheRegistryAgainstAGeneratedDemoPki(@TempDir Path folder) throws Exception {
        Path demoPki = folder.resolve("pki");
        DemoPki.generate(demoPki, "http://localhost:9090", "localhost");
        // The shipped file, unchanged: its ${...} follow the issuer, the listener port and the PKI folder.
        Path connectors = Files.createDirectories(folder.resolve("connectors"));
        Files.copy(Path.of("config/demo/connectors/demo-eid.yml"), connectors.resolve("demo-eid.yml"));
        var environment = new org.springframework.mock.env.MockEnvironment()
                .withProperty("passerelle.issuer", "http://localhost:9090")
                .withProperty("passerelle.demo.eid-pki-dir", demoPki.toString())
                .withProperty("passerelle.demo.eid-listener-url", "https://localhost:9443");
        EidConnector connector = (EidConnector) io.passerelle.connector.ConnectorRegistry.load(connectors,
                "http://localhost:9090", List.of(new EidConnectorFactory(Clock.systemUTC(), environment)))
                .find("demo-eid").orElseThrow();
        assertThat(connector.config().listenerUrl()).isEqualTo(URI.create("https://localhost:9443"));
        assertThat(connector.config().trust().cardTypes()).extracting(CardTypeRule::type)
                .containsExactly(CardType.KIDS, CardType.CITIZEN, CardType.FOREIGNER);
        assertThat(connector.config().revocation().allowed(URI.create("http://localhost:9090/demo/eid/crl/root.crl")))
                .as("the demo CAs' ARL").isTrue();
        assertThat(connector.config().revocation().allowed(URI.create("http://localhost:8080/demo/eid/ocsp")))
                .as("not another port's").isFalse();
    }

    @Test
    void aPlaceholderForAPropertyThatIsNotSetNamesTheField() {
        fields.put("listener_url", "'${passerelle.demo.eid-listener-url}'");
        refused("listener_url", "names a property that is not set");
    }

    @Test
    void everyRevocationFieldIsRead() {
        fields.put("revocation", "{allowed_url_prefixes: ['http://ocsp.eid.belgium.be/'], default_ocsp_url: "
                + "'http://ocsp.eid.belgium.be/eid', connect_timeout: 500ms, read_timeout: 4s, ocsp_nonce: optional, "
                + "cache_size: 50}");
        RevocationSettings revocation = read().revocation();
        assertThat(revocation.defaultOcspUrl()).isEqualTo(URI.create("http://ocsp.eid.belgium.be/eid"));
        assertThat(revocation.connectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(revocation.readTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(revocation.nonceRequired()).isFalse();
        assertThat(revocation.cacheSize()).isEqualTo(50);
    }

    @Test
    void cardTypesMapAKidsCaBeforeTheDefaults() {
        String kidsCa = cas;  // the Citizen CA stands in for a Kids-ID CA whose facts an operator has confirmed
        fields.put("card_types", "[{type: kids, policies: [2.16.56.12.1.1.2.2], issuing_cas: [" + kidsCa + "]},"
                + " {type: citizen, policies: [2.16.56.12.1.1.2.2]}, {type: foreigner, policies: [2.16.56.12.1.1.7.2]}]");
        assertThat(read().trust().cardTypes()).extracting(CardTypeRule::type)
                .containsExactly(CardType.KIDS, CardType.CITIZEN, CardType.FOREIGNER);
    }

    @Test
    void unknownAndRetiredFieldsAreRefused() {
        fields.put("citizen_policies", "[2.16.56.12.1.1.2.2]");
        refused("citizen_policies", "unknown field");
    }

    @Test
    void listenerUrl() {
        fields.remove("listener_url");
        refused("listener_url", "is required");
        fields.put("listener_url", "http://eid.passerelle.example");
        refused("listener_url", "absolute https URL");
        fields.put("listener_url", "'https://eid.passerelle.example/?a=b'");
        refused("listener_url", "absolute https URL");
        fields.put("listener_url", "'https://eid passerelle'");
        refused("listener_url", "not a valid URL");
    }

    @Test
    void trustAnchors() throws Exception {
        fields.remove("trust_anchors");
        refused("trust_anchors", "is required");
        fields.put("trust_anchors", "[" + certs.resolve("missing.pem") + "]");
        refused("trust_anchors[0]", "cannot read");
        Path junk = Files.writeString(certs.resolve("junk.pem"), "not a certificate");
        fields.put("trust_anchors", "[" + root + ", " + junk + "]");
        refused("trust_anchors[1]", "no valid PEM or DER certificate");
        fields.put("trust_anchors", "[" + cas + "]");
        refused("trust_anchors", "self-signed roots");
    }

    @Test
    void issuingCas() {
        fields.put("issuing_cas", "[" + certs.resolve("missing.pem") + "]");
        refused("issuing_cas[0]", "cannot read");
    }

    @Test
    void cardTypeRules() throws Exception {
        fields.put("card_types", "[]");
        refused("card_types", "must not be empty");
        fields.put("card_types", "[{type: child, policies: [1.2.3]}]");
        refused("card_types[0].type", "must be one of");
        fields.put("card_types", "[{type: kids}]");
        refused("card_types[0].policies", "is required");
        fields.put("card_types", "[{type: kids, policies: [1.2.3, kids-oid]}]");
        refused("card_types[0].policies[1]", "not an OID");
        fields.put("card_types", "[{type: kids, policies: [1.2.3], issuer: x}]");
        refused("card_types[0].issuer", "unknown field");
        String stranger = pem("stranger.pem", PKI.otherCa);
        fields.put("card_types", "[{type: kids, policies: [1.2.3], issuing_cas: [" + cas + ", " + stranger + "]}]");
        refused("card_types[0].issuing_cas[1]", "must also be listed under issuing_cas or trust_anchors");
        fields.put("card_types", "[{type: kids, policies: [1.2.3], issuing_cas: [" + certs.resolve("none.pem") + "]}]");
        refused("card_types[0].issuing_cas[0]", "cannot read");
        fields.put("card_types", "[{type: citizen, policies: [1.2.3, 1.2.4]},"
                + " {type: kids, policies: [1.2.3], issuing_cas: [" + cas + "]}]");
        refused("card_types[1]", "card_types[0] already matches");
    }

    @Test
    void aCardTypeRuleMayGiveALowerLevelNeverAHigherOne() {
        fields.put("card_types", "[{type: kids, policies: [1.2.3], issuing_cas: [" + cas + "], loa: substantial},"
                + " {type: citizen, policies: [1.2.3]}]");
        assertThat(read().trust().cardTypes()).extracting(CardTypeRule::loa).containsExactly(Loa.SUBSTANTIAL, null);
        fields.put("card_types", "[{type: citizen, policies: [1.2.3], loa: medium}]");
        refused("card_types[0].loa", "must be one of");
        connectorLoa = Loa.SUBSTANTIAL;
        fields.put("card_types", "[{type: citizen, policies: [1.2.3], loa: high}]");
        refused("card_types[0].loa", "is above the connector's loa (substantial)");
    }

    @Test
    void revocationSection() {
        fields.remove("revocation");
        refused("revocation", "is required");
        fields.put("revocation", "{allowed_url_prefixes: ['http://ocsp.eid.belgium.be/'], ocsp_url: x}");
        refused("revocation.ocsp_url", "unknown field");
        fields.put("revocation", "{default_ocsp_url: 'http://ocsp.eid.belgium.be/'}");
        refused("revocation.allowed_url_prefixes", "is required");
    }

    @Test
    void allowedUrlPrefixes() {
        fields.put("revocation", "{allowed_url_prefixes: ['http://ocsp.eid.belgium.be/', 'http://ocsp.eid.belgium.be']}");
        refused("revocation.allowed_url_prefixes[1]", "must include the path");
        fields.put("revocation", "{allowed_url_prefixes: ['ftp://ocsp.eid.belgium.be/']}");
        refused("revocation.allowed_url_prefixes[0]", "absolute http(s) URL");
        fields.put("revocation", "{allowed_url_prefixes: ['http://user@ocsp.eid.belgium.be/']}");
        refused("revocation.allowed_url_prefixes[0]", "absolute http(s) URL");
    }

    @Test
    void defaultOcspUrlMustBeAllowListed() {
        fields.put("revocation", "{allowed_url_prefixes: ['http://crl.eid.belgium.be/'],"
                + " default_ocsp_url: 'http://ocsp.eid.belgium.be/'}");
        refused("revocation.default_ocsp_url", "must start with one of allowed_url_prefixes");
        fields.put("revocation", "{allowed_url_prefixes: ['http://crl.eid.belgium.be/'], default_ocsp_url: 'file:///x'}");
        refused("revocation.default_ocsp_url", "absolute http(s) URL");
    }

    @Test
    void timeouts() {
        for (String field : new String[] {"connect_timeout", "read_timeout"}) {
            fields.put("revocation", "{allowed_url_prefixes: ['http://crl.eid.belgium.be/'], " + field + ": 3 seconds}");
            refused("revocation." + field, "duration like 500ms or 3s");
            fields.put("revocation", "{allowed_url_prefixes: ['http://crl.eid.belgium.be/'], " + field + ": 50ms}");
            refused("revocation." + field, "between 100ms and 30s");
            fields.put("revocation", "{allowed_url_prefixes: ['http://crl.eid.belgium.be/'], " + field + ": 31s}");
            refused("revocation." + field, "between 100ms and 30s");
        }
    }

    @Test
    void ocspNonceAndCacheSize() {
        fields.put("revocation", "{allowed_url_prefixes: ['http://crl.eid.belgium.be/'], ocsp_nonce: off}");
        refused("revocation.ocsp_nonce", "must be one of");
        fields.put("revocation", "{allowed_url_prefixes: ['http://crl.eid.belgium.be/'], cache_size: 0}");
        refused("revocation.cache_size", "between 1 and 1000000");
        fields.put("revocation", "{allowed_url_prefixes: ['http://crl.eid.belgium.be/'], cache_size: lots}");
        refused("revocation.cache_size", "whole number");
    }
}

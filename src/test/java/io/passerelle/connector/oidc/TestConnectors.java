package io.passerelle.connector.oidc;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.mock.env.MockEnvironment;

import io.passerelle.config.YamlConfigFile;
import io.passerelle.connector.ConnectorSettings;
import io.passerelle.connector.Loa;
import io.passerelle.connector.LoginContext;

/**
 * Connector files for tests, written as YAML (so every test also goes through the factory and the
 * reader), from a base set of fields that tests override one by one.
 */
final class TestConnectors {

    static final String SECRET = "s3cr3t:with/special&chars";
    static final URI CALLBACK = URI.create("https://passerelle.example/broker/callback/test-op");
    static final String VERIFIER = "dBjftJeZ4CVP-mJ92K1s3-mXzO-secret-pkce-verifier-0123456789";

    private TestConnectors() {
    }

    /** A plain provider: client_secret_basic, signed ID tokens, short timeouts. */
    static Map<String, String> plain(TestProvider provider) {
        return plain(provider.issuer);
    }

    static Map<String, String> plain(String issuer) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", "test-op");
        fields.put("type", "oidc");
        fields.put("display_name", "{en: Test, fr: Test, nl: Test, de: Test}");
        fields.put("loa", "substantial");
        fields.put("issuer", issuer);
        fields.put("client_id", TestProvider.CLIENT_ID);
        fields.put("client_auth", "client_secret_basic");
        fields.put("client_secret", "${TEST_OP_SECRET}");
        fields.put("id_token_signing_alg", "RS256");
        // Generous for a loaded build machine; the timeout test sets its own short read_timeout.
        fields.put("connect_timeout", "1s");
        fields.put("read_timeout", "3s");
        fields.put("claim_mapping", "{given_name: given_name, family_name: family_name}");
        fields.put("amr", "[pwd]");
        return fields;
    }

    /** itsme-grade: private_key_jwt, signed-then-encrypted request object, JWE ID token, acr and claim mapping. */
    static Map<String, String> itsme(TestProvider provider) {
        return itsme(provider.issuer);
    }

    static Map<String, String> itsme(String issuer) {
        Map<String, String> fields = plain(issuer);
        fields.remove("client_secret");
        fields.put("loa", "high");
        fields.put("client_auth", "private_key_jwt");
        fields.put("scopes", "[openid, profile]");
        fields.put("extra_scopes", "['service:CITY_PORTAL']");
        fields.put("request_object", "signed_and_encrypted");
        fields.put("id_token_encrypted", "true");
        fields.put("request_acr", "{substantial: 'http://itsme.services/v2/claim/acr_basic',"
                + " high: 'http://itsme.services/v2/claim/acr_advanced'}");
        fields.put("acr_mapping", "{'http://itsme.services/v2/claim/acr_basic': substantial,"
                + " 'http://itsme.services/v2/claim/acr_advanced': high}");
        fields.put("claims_request", "{'http://itsme.services/v2/claim/BENationalNumber': essential,"
                + " given_name: voluntary}");
        fields.put("claim_mapping", "{'http://itsme.services/v2/claim/BENationalNumber': national_number,"
                + " given_name: given_name, family_name: family_name}");
        fields.put("amr", "[hwk, pin]");
        return fields;
    }

    static String yaml(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n"));
    }

    static OidcConnector create(Map<String, String> fields, Clock clock) {
        return create(fields, clock, TestOidcKeys.INSTANCE);
    }

    static OidcConnector create(Map<String, String> fields, Clock clock, OidcKeys keys) {
        YamlConfigFile file = YamlConfigFile.parse("config/connectors/test-op.yml", yaml(fields));
        Loa loa = Loa.fromName(file.requiredString("loa"));
        ConnectorSettings common = new ConnectorSettings("test-op", "oidc",
                Map.of("en", "Test", "fr", "Test", "nl", "Test", "de", "Test"), null, loa, CALLBACK);
        MockEnvironment environment = new MockEnvironment().withProperty("TEST_OP_SECRET", SECRET);
        return (OidcConnector) new OidcConnectorFactory(keys, clock, environment, new io.micrometer.core.instrument.simple.SimpleMeterRegistry()).create(common, file);
    }

    static LoginContext login(Loa required) {
        return new LoginContext("state-" + System.nanoTime(), "nonce-" + System.nanoTime(), VERIFIER, CALLBACK,
                required, "fr", "citizen@example.be");
    }
}

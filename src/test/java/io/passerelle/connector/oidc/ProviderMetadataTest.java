package io.passerelle.connector.oidc;

import io.passerelle.testsupport.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.util.JSONObjectUtils;
import org.junit.jupiter.api.Test;

import io.passerelle.connector.ConnectorException.Kind;

/** The discovery document, checked against the configuration (OpenID Connect Discovery 1.0, 3 and 4.3). */
class ProviderMetadataTest {

    private static final String ISSUER = "https://op.example";
    private static final MutableClock CLOCK = MutableClock.atNow();
    private final OidcConnectorConfig itsme = TestConnectors.create(TestConnectors.itsme(ISSUER), CLOCK).config();

    private static Map<String, Object> document() {
        return new LinkedHashMap<>(Map.of("issuer", ISSUER, "authorization_endpoint", ISSUER + "/authorize",
                "token_endpoint", ISSUER + "/token", "jwks_uri", ISSUER + "/jwks"));
    }

    private ProviderMetadata parse(Map<String, Object> doc) {
        return ProviderMetadata.parse(JSONObjectUtils.toJSONString(doc), itsme);
    }

    @Test
    void aMinimalDocumentParsesWithDefaults() {
        ProviderMetadata metadata = parse(document());
        assertThat(metadata.tokenEndpoint().toString()).isEqualTo(ISSUER + "/token");
        assertThat(metadata.requestObjectEnc()).as("A128CBC-HS256 when the provider lists none")
                .isEqualTo(EncryptionMethod.A128CBC_HS256);
        assertThat(metadata.issParameterSupported()).isFalse();
    }

    @Test
    void theRequestObjectEncryptionIsTheProvidersFirstSupportedOne() {
        Map<String, Object> doc = document();
        doc.put("request_object_encryption_enc_values_supported", List.of("XC20P", "A256GCM", "A128CBC-HS256"));
        assertThat(parse(doc).requestObjectEnc()).isEqualTo(EncryptionMethod.A256GCM);
        doc.put("request_object_encryption_enc_values_supported", List.of("XC20P"));
        OidcConnectorFaultsTest.refused(() -> parse(doc), Kind.MISCONFIGURED, "DiscoveryRequestObjectEncryption");
    }

    @Test
    void anEndpointInTheClearIsRefused() {
        Map<String, Object> doc = document();
        doc.put("token_endpoint", "http://op.example/token");
        OidcConnectorFaultsTest.refused(() -> parse(doc), Kind.INVALID_RESPONSE, "Discovery");
    }

    @Test
    void aProviderNotOfferingOurClientAuthenticationIsAMisconfiguration() {
        Map<String, Object> doc = document();
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic"));
        OidcConnectorFaultsTest.refused(() -> parse(doc), Kind.MISCONFIGURED, "DiscoverySupports");
    }

    @Test
    void aDocumentThatIsNotJsonOrLacksAnEndpointIsInvalid() {
        OidcConnectorFaultsTest.refused(() -> ProviderMetadata.parse("<html>", itsme), Kind.INVALID_RESPONSE, "Discovery");
        Map<String, Object> doc = document();
        doc.remove("jwks_uri");
        OidcConnectorFaultsTest.refused(() -> parse(doc), Kind.INVALID_RESPONSE, "Discovery");
    }
}

package io.passerelle.connector.oidc;

import io.passerelle.testsupport.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

import io.passerelle.config.ConfigFileException;
import io.passerelle.connector.ConnectorRegistry;
import io.passerelle.connector.Loa;
import io.passerelle.connector.oidc.OidcConnectorConfig.ClientAuth;
import io.passerelle.connector.oidc.OidcConnectorConfig.RequestObject;
import io.passerelle.connector.oidc.OidcConnectorConfig.UserInfo;

/** The oidc connector file: the documented sample loads through the registry, and each mistake stops the start. */
class OidcConfigReaderTest {

    private static final MutableClock CLOCK = MutableClock.atNow();

    @Test
    void theSampleFileLoadsThroughTheRegistryWithoutContactingTheProvider(@TempDir Path folder) throws Exception {
        Path sample = Path.of("src/test/resources/connector/oidc/itsme-sample.yml");
        Files.copy(sample, folder.resolve("itsme.yml"));
        OidcConnectorFactory factory = new OidcConnectorFactory(TestOidcKeys.INSTANCE, CLOCK, new MockEnvironment(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());

        ConnectorRegistry registry = ConnectorRegistry.load(folder, "https://passerelle.example", List.of(factory));

        OidcConnector connector = (OidcConnector) registry.find("itsme").orElseThrow();
        OidcConnectorConfig config = connector.config();
        assertThat(connector.maxLoa()).isEqualTo(Loa.HIGH);
        assertThat(config.issuer()).isEqualTo("https://idp.e2e.itsme.services/v2");
        assertThat(config.discoveryUri()).isEqualTo(URI.create("https://idp.e2e.itsme.services/v2/.well-known/openid-configuration"));
        assertThat(config.clientAuth()).isEqualTo(ClientAuth.PRIVATE_KEY_JWT);
        assertThat(config.scopes()).containsExactly("openid", "profile", "service:CITY_PORTAL");
        assertThat(config.requestObject()).isEqualTo(RequestObject.SIGNED_AND_ENCRYPTED);
        assertThat(config.idTokenSigningAlg()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(config.idTokenEncrypted()).isTrue();
        assertThat(config.userInfo()).isEqualTo(UserInfo.NONE);
        assertThat(config.requestAcr()).containsEntry(Loa.HIGH, "http://itsme.services/v2/claim/acr_advanced");
        assertThat(config.acrMapping()).containsEntry("http://itsme.services/v2/claim/acr_basic", Loa.SUBSTANTIAL);
        assertThat(config.claimsRequest()).containsEntry("http://itsme.services/v2/claim/BENationalNumber", true)
                .containsEntry("given_name", false);
        assertThat(config.claimMapping()).containsEntry("http://itsme.services/v2/claim/BENationalNumber", "national_number");
        assertThat(config.defaultAmr()).containsExactly("hwk", "pin");
        assertThat(config.clockSkew()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.discoveryRefresh()).isEqualTo(Duration.ofHours(1));
        assertThat(config.jwksMinRefreshInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void defaultsApplyToAMinimalFile() {
        Map<String, String> fields = minimal();
        OidcConnectorConfig config = TestConnectors.create(fields, CLOCK).config();

        assertThat(config.discoveryUri()).isEqualTo(URI.create("https://op.example/.well-known/openid-configuration"));
        assertThat(config.scopes()).containsExactly("openid");
        assertThat(config.clientSecret()).isEqualTo(TestConnectors.SECRET);
        assertThat(config.toString()).doesNotContain(TestConnectors.SECRET);
        assertThat(config.clientAuthSigningAlg()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(config.requestObject()).isEqualTo(RequestObject.NONE);
        assertThat(config.userInfo()).isEqualTo(UserInfo.NONE);
        assertThat(config.userInfoSigningAlg()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(config.maxAge()).isNull();
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.readTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void durationsAcceptShortAndIsoForms() {
        Map<String, String> fields = minimal();
        fields.put("connect_timeout", "750ms");
        fields.put("discovery_refresh", "PT2H");
        fields.put("max_age", "10m");
        OidcConnectorConfig config = TestConnectors.create(fields, CLOCK).config();
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(config.discoveryRefresh()).isEqualTo(Duration.ofHours(2));
        assertThat(config.maxAge()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void anUnknownFieldIsRefusedWithASuggestion() {
        Map<String, String> fields = minimal();
        fields.put("id_token_signing_algo", "RS256");
        refused(fields, "id_token_signing_algo", "did you mean id_token_signing_alg");
    }

    @Test
    void noneAndHmacAreRefusedForIdTokens() {
        for (String alg : List.of("none", "HS256", "HS512")) {
            Map<String, String> fields = minimal();
            fields.put("id_token_signing_alg", alg);
            refused(fields, "id_token_signing_alg", "only asymmetric signatures");
        }
        Map<String, String> fields = minimal();
        fields.put("userinfo_signing_alg", "HS256");
        refused(fields, "userinfo_signing_alg", "refused");
    }

    @Test
    void theIdTokenAlgorithmIsRequired() {
        Map<String, String> fields = minimal();
        fields.remove("id_token_signing_alg");
        refused(fields, "id_token_signing_alg", "is required");
    }

    @Test
    void aLiteralSecretIsRefusedWithoutEchoingIt() {
        Map<String, String> fields = minimal();
        fields.put("client_secret", "hunter2-literal");
        assertThatThrownBy(() -> TestConnectors.create(fields, CLOCK)).isInstanceOfSatisfying(ConfigFileException.class,
                e -> assertThat(e.getMessage()).contains("client_secret").doesNotContain("hunter2"));
    }

    @Test
    void aSecretIsRequiredForBasicAndRefusedForPrivateKeyJwt() {
        Map<String, String> basic = minimal();
        basic.remove("client_secret");
        refused(basic, "client_secret", "is required");
        Map<String, String> jwt = minimal();
        jwt.put("client_auth", "private_key_jwt");
        refused(jwt, "client_secret", "only used with");
    }

    @Test
    void theIssuerMustBeHttpsExceptOnLoopback() {
        Map<String, String> fields = minimal();
        fields.put("issuer", "http://op.example");
        refused(fields, "issuer", "https");
    }

    @Test
    void scopesMustContainOpenid() {
        Map<String, String> fields = minimal();
        fields.put("scopes", "[profile]");
        refused(fields, "scopes", "must contain openid");
    }

    @Test
    void timingsHaveBounds() {
        Map<String, String> skew = minimal();
        skew.put("clock_skew", "301s");
        refused(skew, "clock_skew", "between");
        Map<String, String> read = minimal();
        read.put("read_timeout", "soon");
        refused(read, "read_timeout", "duration");
    }

    @Test
    void requestAcrMustBeAnsweredByTheAcrMappingAtItsLevel() {
        Map<String, String> fields = minimal();
        fields.put("request_acr", "{substantial: urn:basic}");
        fields.put("acr_mapping", "{'urn:basic': low}");
        refused(fields, "request_acr.substantial", "acr_mapping");
        Map<String, String> above = minimal();
        above.put("request_acr", "{high: urn:advanced}");
        refused(above, "request_acr.high", "above the connector's loa");
    }

    @Test
    void claimMappingTargetsAreDistinctAndNotReserved() {
        Map<String, String> duplicate = minimal();
        duplicate.put("claim_mapping", "{a: national_number, b: national_number}");
        refused(duplicate, "claim_mapping.b", "already the target");
        Map<String, String> reserved = minimal();
        reserved.put("claim_mapping", "{upstream_acr: acr}");
        refused(reserved, "claim_mapping.upstream_acr", "not a Passerelle claim name");
    }

    @Test
    void userinfoTrueDoesNotSayWhichForm() {
        Map<String, String> fields = minimal();
        fields.put("userinfo", "true");
        refused(fields, "userinfo", "plain, signed or signed_and_encrypted");
    }

    private static Map<String, String> minimal() {
        Map<String, String> fields = TestConnectors.plain("https://op.example");
        fields.remove("connect_timeout");
        fields.remove("read_timeout");
        return fields;
    }

    private static void refused(Map<String, String> fields, String field, String reason) {
        assertThatThrownBy(() -> TestConnectors.create(fields, CLOCK)).isInstanceOfSatisfying(ConfigFileException.class,
                e -> assertThat(e.getMessage()).contains(field).contains(reason));
    }
}

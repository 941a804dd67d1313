package io.passerelle.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.passerelle.audit.AuditType;
import io.passerelle.connector.eid.EidConnectorFactory;
import io.passerelle.connector.oidc.OidcConnectorFactory;
import io.passerelle.connector.oidc.OidcKeys;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.mock.env.MockEnvironment;

/**
 * A bad connector file met while the node runs, with the real oidc and eid factories: refused with its file, its
 * field and the reason (log and {@link AuditType#CONNECTOR_CONFIG_REFUSED}), and the running version stays
 * (none for a new file). Each file is built completely before it applies, so a missing key file is caught here
 * and not at the first login.
 */
class ConnectorFileRefusalsTest {

    private static final String OIDC = """
            id: op
            type: oidc
            display_name: {en: Provider, fr: Fournisseur, nl: Aanbieder, de: Anbieter}
            loa: substantial
            issuer: https://op.example
            client_id: passerelle
            client_auth: client_secret_basic
            client_secret: ${OP_SECRET}
            id_token_signing_alg: RS256
            """;

    @TempDir
    Path folder;

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("unknown type", "op.yml", OIDC.replace("type: oidc", "type: saml"), "type", "must be one of"),
                Arguments.of("missing issuer", "op.yml", OIDC.replace("issuer: https://op.example\n", ""), "issuer",
                        "required"),
                Arguments.of("bad URL", "op.yml", OIDC.replace("https://op.example", "op example"), "issuer",
                        "is not a valid URL"),
                Arguments.of("plain http issuer", "op.yml", OIDC.replace("https://op.example", "http://op.example"),
                        "issuer", "https"),
                Arguments.of("secret not set", "op.yml", OIDC.replace("${OP_SECRET}", "${NOT_SET}"), "client_secret",
                        "NOT_SET"),
                Arguments.of("misspelt field", "op.yml", OIDC + "client_secrett: x\n", "client_secrett",
                        "did you mean client_secret"),
                Arguments.of("id is not the file name", "op.yml", OIDC.replace("id: op", "id: other"), "id",
                        "file name"),
                Arguments.of("language missing", "op.yml", OIDC.replace(", de: Anbieter", ""), "display_name.de",
                        "is required"),
                Arguments.of("not YAML", "op.yml", "id: op\n  type: [oidc\n", "", "not valid YAML"),
                Arguments.of("missing key file", "card.yml", """
                        id: card
                        type: eid
                        display_name: {en: Card, fr: Carte, nl: Kaart, de: Karte}
                        loa: high
                        listener_url: https://eid.gw.example:8443
                        trust_anchors: [/nowhere/root-ca.pem]
                        issuing_cas: [/nowhere/citizen-ca.pem]
                        """, "trust_anchors[0]",
                        "cannot read /nowhere/root-ca.pem"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aBadFileIsRefusedAndTheRunningVersionStays(String name, String file, String yaml, String field, String reason)
            throws Exception {
        Files.writeString(folder.resolve("op.yml"), OIDC);
        ConnectorReloadTest.RecordingAuditLog audit = new ConnectorReloadTest.RecordingAuditLog();
        ConnectorReload reload = new ConnectorReload(List.of(folder), "https://gw.example", factories(), audit);
        Connector running = reload.registry().find("op").orElseThrow();

        Files.writeString(folder.resolve(file), yaml);
        ConnectorReload.Outcome outcome = reload.poll();

        assertThat(outcome.applied()).isFalse();
        assertThat(outcome.refused()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo(folder.resolve(file).toString());
            assertThat(e.field()).startsWith(field);
            assertThat(e.reason()).contains(reason);
        });
        assertThat(reload.registry().find("op")).as("the running version stays").containsSame(running);
        assertThat(reload.registry().ids()).as("a new bad file serves nothing").containsExactly("op");
        assertThat(audit.of(AuditType.CONNECTOR_CONFIG_REFUSED)).singleElement().satisfies(e -> {
            assertThat(e.details()).containsEntry("file", folder.resolve(file).toString());
            assertThat(e.details().get("field")).startsWith(field);
            assertThat(e.actor()).isEqualTo("system");
        });
    }

    private static List<ConnectorFactory> factories() {
        MockEnvironment environment = new MockEnvironment().withProperty("OP_SECRET", "secret-of-the-test");
        OidcKeys noKeys = new OidcKeys() {
            @Override
            public JWK signingKey(JWSAlgorithm algorithm) {
                throw new IllegalStateException("no login in this test");
            }

            @Override
            public List<JWK> decryptionKeys() {
                return List.of();
            }
        };
        return List.of(new OidcConnectorFactory(noKeys, Clock.systemUTC(), environment, new SimpleMeterRegistry()),
                new EidConnectorFactory(Clock.systemUTC(), environment));
    }
}

package io.passerelle.connector.eid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.server.ResponseStatusException;

import io.passerelle.demo.DemoCertificates;
import io.passerelle.connector.Callback;
import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;
import io.passerelle.connector.ConnectorSettings;
import io.passerelle.connector.Loa;
import io.passerelle.connector.LoginContext;
import io.passerelle.connector.eid.ClientCertificates.Presented;
import io.passerelle.demo.DemoCertificates.Issued;

/**
 * The card certificate's source: the TLS handshake on the listener, else the reverse proxy's header from a
 * configured proxy address only; the header formats proxies write, and garbage refused with a reason.
 */
@ExtendWith(OutputCaptureExtension.class)
class EidClientCertificatesTest {

    private static final TestPki PKI = new TestPki(null, null);
    private static final Issued CARD = PKI.card(PKI.citizen());
    private static final String HEADER = "X-Client-Cert";
    private static final int LISTENER_PORT = 8443;
    private static final ClientCertificates SOURCE = new ClientCertificates(new EidListenerProperties(LISTENER_PORT,
            null, null, null, HEADER, List.of("10.0.0.2")));

    private static String pem(X509Certificate... certificates) throws Exception {
        StringBuilder text = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            text.append("-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(certificate.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return text.toString();
    }

    /** Percent-encodes every byte except {@code keep} and RFC 3986 unreserved characters, like a proxy would. */
    private static String escaped(String text, String keep) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) b;
            if (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0 || keep.indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    private static List<X509Certificate> read(String header) {
        Presented presented = ClientCertificates.parse(header);
        assertThat(presented.problem()).as(header).isNull();
        return presented.chain();
    }

    @Test
    void urlEncodedPemLikeNginxSslClientEscapedCert() throws Exception {
        assertThat(read(escaped(pem(CARD.certificate()), ""))).containsExactly(CARD.certificate());
        assertThat(read(escaped(pem(CARD.certificate(), PKI.citizenCa.certificate()), "/=")))
                .containsExactly(CARD.certificate(), PKI.citizenCa.certificate());
    }

    @Test
    void urlEncodedPemWithBase64PlusLeftUnescaped() throws Exception {
        // Some load balancers keep '+', '=' and '/' as they are: '+' must not turn into a space.
        String pem = pem(CARD.certificate());
        assertThat(read(escaped(pem, "+=/"))).containsExactly(CARD.certificate());
    }

    @Test
    void pemWithLineBreaksTurnedIntoSpaces() throws Exception {
        assertThat(read(pem(CARD.certificate()).replace('\n', ' '))).containsExactly(CARD.certificate());
    }

    @Test
    void bareBase64DerAloneOrCommaSeparated() throws Exception {
        String card = Base64.getEncoder().encodeToString(CARD.certificate().getEncoded());
        String ca = Base64.getEncoder().encodeToString(PKI.citizenCa.certificate().getEncoded());
        assertThat(read(card)).containsExactly(CARD.certificate());
        assertThat(read(card + "," + ca)).containsExactly(CARD.certificate(), PKI.citizenCa.certificate());
    }

    @Test
    void garbageIsRefusedWithAReason() throws Exception {
        String der = Base64.getEncoder().encodeToString(CARD.certificate().getEncoded());
        Map<String, String> cases = Map.of(
                "hello world!", "not base64",
                "%ZZ", "invalid URL encoding",
                "   ", "empty",
                Base64.getEncoder().encodeToString("not DER at all".getBytes()), "not an X.509 certificate",
                "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----", "not base64",
                "junk " + pem(CARD.certificate()), "other text than CERTIFICATE blocks",
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "other text than CERTIFICATE blocks",
                String.join(",", java.util.Collections.nCopies(7, der)), "more than 6 certificates",
                "A".repeat(ClientCertificates.MAX_HEADER_CHARS + 1), "longer than");
        cases.forEach((header, reason) -> {
            Presented presented = ClientCertificates.parse(header);
            assertThat(presented.chain()).as(header).isEmpty();
            assertThat(presented.problem()).as(header).contains(reason);
        });
    }

    @Test
    void onTheListenerOnlyTheHandshakeCounts(CapturedOutput output) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/broker/eid/eid-card");
        request.setLocalPort(LISTENER_PORT);
        request.setRemoteAddr("192.0.2.7");
        request.setAttribute(ClientCertificates.CERTIFICATE_ATTRIBUTE, new X509Certificate[] {CARD.certificate()});
        request.addHeader(HEADER, "forged");
        assertThat(SOURCE.from(request).chain()).containsExactly(CARD.certificate());
        assertThat(output).contains("eID certificate header from 192.0.2.7 on the TLS listener ignored");
    }

    @Test
    void fromTheConfiguredProxyTheHeaderIsRead() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/broker/eid/eid-card");
        request.setLocalPort(8080);
        request.setRemoteAddr("10.0.0.2");
        request.addHeader(HEADER, escaped(pem(CARD.certificate()), ""));
        assertThat(SOURCE.from(request).chain()).containsExactly(CARD.certificate());
    }

    @Test
    void fromAnyoneElseTheHeaderIsStrippedLoggedAndTheEndpointDoesNotExist(CapturedOutput output) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/broker/eid/eid-card");
        request.setLocalPort(8080);
        request.setRemoteAddr("203.0.113.9");
        request.addHeader(HEADER, "anything");
        assertThatThrownBy(() -> SOURCE.from(request)).isInstanceOfSatisfying(ResponseStatusException.class,
                e -> assertThat(e.getStatusCode().value()).isEqualTo(404));
        assertThat(output).contains("eID certificate header from 203.0.113.9, not a configured proxy: stripped");

        MockHttpServletRequest bare = new MockHttpServletRequest("GET", "/broker/eid/eid-card");
        bare.setLocalPort(8080);
        bare.setRemoteAddr("10.0.0.2");
        assertThatThrownBy(() -> SOURCE.from(bare)).as("the proxy, but no header").isInstanceOf(ResponseStatusException.class);
    }

    @Test
    void anUnreadableProxyHeaderRefusesTheLoginWithItsOwnCheck(CapturedOutput output) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/broker/eid/eid-card");
        request.setRemoteAddr("10.0.0.2");
        request.addHeader(HEADER, "garbage!");
        Presented presented = SOURCE.from(request);
        assertThat(output).contains("eID certificate header from proxy 10.0.0.2 refused: not base64");

        TrustSettings trust = PKI.trust();
        EidConnector connector = new EidConnector(new ConnectorSettings("eid-card", "eid", Map.of("en", "eID"), null,
                Loa.HIGH, URI.create("https://passerelle.example/broker/callback/eid-card")),
                new EidConnectorConfig(URI.create("https://eid.passerelle.example"), trust,
                        RevocationSettings.defaults(List.of("http://ocsp.test/"))), Clock.systemUTC());
        Callback callback = new Callback(Map.of("state", "s", EidConnector.HEADER_PROBLEM, presented.problem()),
                presented.chain());
        LoginContext login = new LoginContext("s", "n", "v", URI.create("https://passerelle.example/cb"), Loa.HIGH,
                "en", null);
        assertThatThrownBy(() -> connector.finish(login, callback)).isInstanceOfSatisfying(ConnectorException.class, e -> {
            assertThat(e.check()).isEqualTo(EidConnector.HEADER_READABLE);
            assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
            assertThat(e.getMessage()).contains("not base64");
        });
    }

    @Test
    void proxyAddressesAreComparedAsAddressesAndMustBeLiterals() {
        assertThat(ClientCertificates.canonical("::1", true))
                .isEqualTo(ClientCertificates.canonical("0:0:0:0:0:0:0:1", false));
        assertThat(ClientCertificates.canonical("10.0.0.5", true)).isEqualTo("10.0.0.5");
        assertThatThrownBy(() -> ClientCertificates.canonical("proxy.example", true))
                .hasMessageContaining("proxy-addresses").hasMessageContaining("not an IP address");
        assertThat(ClientCertificates.canonical("proxy.example", false))
                .as("a remote address that is no literal never matches a configured literal").isEqualTo("proxy.example");
    }
}

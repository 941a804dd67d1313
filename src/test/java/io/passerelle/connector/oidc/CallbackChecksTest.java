package io.passerelle.connector.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.passerelle.connector.Callback;
import io.passerelle.connector.ConnectorException.Kind;

/** Each named check on the authorization response (RFC 6749 4.1.2, RFC 9207), with a good and a bad case. */
class CallbackChecksTest {

    private static final String ISSUER = "https://op.example";

    private static Callback callback(Map<String, String> parameters) {
        return new Callback(parameters, null);
    }

    @Test
    void stateMatchesGood() {
        assertThatCode(() -> CallbackChecks.stateMatches(callback(Map.of("state", "s-1")), "s-1")).doesNotThrowAnyException();
    }

    @Test
    void stateMatchesBad() {
        IdTokenChecksTest.refused(() -> CallbackChecks.stateMatches(callback(Map.of("state", "s-2")), "s-1"),
                "CallbackStateMatches");
        IdTokenChecksTest.refused(() -> CallbackChecks.stateMatches(callback(Map.of()), "s-1"), "CallbackStateMatches");
    }

    @Test
    void issuerMatchesGood() {
        assertThatCode(() -> CallbackChecks.issuerMatches(callback(Map.of("iss", ISSUER)), ISSUER, true))
                .doesNotThrowAnyException();
        // Optional when the provider does not announce RFC 9207 support.
        assertThatCode(() -> CallbackChecks.issuerMatches(callback(Map.of()), ISSUER, false)).doesNotThrowAnyException();
    }

    @Test
    void issuerMatchesBad() {
        IdTokenChecksTest.refused(() -> CallbackChecks.issuerMatches(callback(Map.of("iss", "https://other.example")),
                ISSUER, false), "CallbackIssuerMatches");
        IdTokenChecksTest.refused(() -> CallbackChecks.issuerMatches(callback(Map.of()), ISSUER, true),
                "CallbackIssuerMatches");
    }

    @Test
    void noErrorGood() {
        assertThatCode(() -> CallbackChecks.noError(callback(Map.of("code", "c")))).doesNotThrowAnyException();
    }

    @Test
    void noErrorBad() {
        OidcConnectorFaultsTest.refused(() -> CallbackChecks.noError(callback(Map.of("error", "access_denied"))),
                Kind.CANCELLED, "CallbackError");
        OidcConnectorFaultsTest.refused(() -> CallbackChecks.noError(callback(Map.of("error", "temporarily_unavailable"))),
                Kind.UPSTREAM_ERROR, "CallbackError");
    }

    @Test
    void codeGood() {
        assertThat(CallbackChecks.code(callback(Map.of("code", "c-1")))).isEqualTo("c-1");
    }

    @Test
    void codeBad() {
        IdTokenChecksTest.refused(() -> CallbackChecks.code(callback(Map.of("code", " "))), "CallbackCode");
    }
}

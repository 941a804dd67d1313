package io.passerelle.connector.oidc;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.util.regex.Pattern;

import io.passerelle.connector.Callback;
import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;

/**
 * The named checks on the authorization response the browser brought back (RFC 6749 4.1.2, RFC 9207),
 * in the order the connector runs them: state first, so that nothing else in a forged or replayed
 * response (not even its error) is acted upon.
 */
final class CallbackChecks {

    /** What of an upstream error code we repeat in the audit trail: RFC 6749 error codes are this charset. */
    private static final Pattern ERROR_CODE = Pattern.compile("[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]{1,64}");

    private CallbackChecks() {
    }

    /**
     * RFC 6749 10.12 and OIDC Core 3.1.2.7: the state is the one this login sent. The broker found the
     * login by it already; checking again here keeps the connector fail-closed on its own.
     */
    static void stateMatches(Callback callback, String expected) {
        String state = callback.parameter("state");
        if (state == null || !MessageDigest.isEqual(state.getBytes(UTF_8), expected.getBytes(UTF_8))) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, "CallbackStateMatches",
                    state == null ? "the callback has no state" : "the callback's state is not this login's");
        }
    }

    /**
     * RFC 9207 2.4: when the response carries {@code iss} it must equal the provider's issuer exactly (a
     * mix-up attack sends another provider's response to this callback); when the provider's discovery
     * announces {@code authorization_response_iss_parameter_supported}, a response without it is refused.
     */
    static void issuerMatches(Callback callback, String issuer, boolean required) {
        String iss = callback.parameter("iss");
        if (iss == null) {
            if (required) {
                throw new ConnectorException(Kind.INVALID_RESPONSE, "CallbackIssuerMatches",
                        "the provider announces the iss parameter but the callback has none");
            }
            return;
        }
        if (!issuer.equals(iss)) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, "CallbackIssuerMatches",
                    "the callback's iss is not the issuer '" + issuer + "' (mix-up?)");
        }
    }

    /**
     * RFC 6749 4.1.2.1: an error response. {@code access_denied} is the citizen cancelling (or refusing
     * consent) upstream; every other error is the provider's.
     */
    static void noError(Callback callback) {
        String error = callback.parameter("error");
        if (error == null) {
            return;
        }
        String code = ERROR_CODE.matcher(error).matches() ? error : "(unprintable)";
        if ("access_denied".equals(error)) {
            throw new ConnectorException(Kind.CANCELLED, "CallbackError", "the citizen cancelled upstream (access_denied)");
        }
        throw new ConnectorException(Kind.UPSTREAM_ERROR, "CallbackError", "the provider answered error " + code);
    }

    /** RFC 6749 4.1.2: a successful response carries a code. */
    static String code(Callback callback) {
        String code = callback.parameter("code");
        if (code == null || code.isBlank()) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, "CallbackCode", "the callback has neither code nor error");
        }
        return code;
    }
}

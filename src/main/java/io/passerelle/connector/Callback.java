package io.passerelle.connector;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * What the browser brought back to the broker's callback: the query or form parameters (each at most
 * once), and, on the eID TLS listener, the client certificate chain the TLS handshake verified
 * possession of.
 */
public record Callback(Map<String, String> parameters, List<X509Certificate> certificateChain) {

    public Callback {
        parameters = Map.copyOf(parameters);
        certificateChain = certificateChain == null ? List.of() : List.copyOf(certificateChain);
    }

    public String parameter(String name) {
        return parameters.get(name);
    }
}

package io.passerelle.connector.eid;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The eID TLS listener ({@code passerelle.eid-listener.*} in config/application.yml).
 *
 * <p>The listener runs when a key store is configured (or, with the demo on, the demo provides one).
 *
 * @param port             the HTTPS port that asks for the card certificate; default {@value #DEFAULT_PORT} (the one
 *                         place it is written: connectors and the demo follow this property)
 * @param keyStore         PKCS#12 with the listener's server key and certificate (from certs/)
 * @param keyStorePassword its password (give it through PASSERELLE_EID_LISTENER_KEY_STORE_PASSWORD)
 * @param trustedCas       PEM files of the roots and issuing CAs whose names are advertised in the
 *                         CertificateRequest (the browser offers only card certificates under these)
 * @param proxyHeader      reverse-proxy mode: the header carrying the client certificate (URL-encoded PEM,
 *                         like nginx's $ssl_client_escaped_cert), or absent
 * @param proxyAddresses   the proxy addresses that header is accepted from; from anyone else it is ignored
 */
@ConfigurationProperties("passerelle.eid-listener")
public record EidListenerProperties(Integer port, Path keyStore, String keyStorePassword, List<Path> trustedCas,
                                    String proxyHeader, List<String> proxyAddresses) {

    public static final int DEFAULT_PORT = 8443;

    public EidListenerProperties {
        port = port == null ? DEFAULT_PORT : port;
        trustedCas = trustedCas == null ? List.of() : List.copyOf(trustedCas);
        proxyAddresses = proxyAddresses == null ? List.of() : List.copyOf(proxyAddresses);
    }
}

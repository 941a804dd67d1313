package io.passerelle.connector.eid;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The eID TLS listener: a second Tomcat connector on its own port that asks for (but does not require) a
 * client certificate, so that a citizen without a card reaches Passerelle's own error page instead of a
 * browser TLS error. Only the eID endpoint reads the certificate, and only on this port.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EidListenerProperties.class)
public class EidListenerConfiguration {

    /**
     * The listener runs when a key store is configured. Decided here rather than by a condition on the property:
     * the demo provides its key store through a property source added after conditions are evaluated.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> eidTlsListener(EidListenerProperties properties) {
        return factory -> {
            if (properties.keyStore() != null) {
                factory.addAdditionalConnectors(connector(properties));
            }
        };
    }

    static Connector connector(EidListenerProperties properties) {
        char[] password = properties.keyStorePassword() == null ? new char[0] : properties.keyStorePassword().toCharArray();
        EidTlsContext context = EidTlsContext.load(properties.keyStore(), password, properties.trustedCas());
        Http11NioProtocol protocol = new Http11NioProtocol();
        Connector connector = new Connector(protocol);
        connector.setPort(properties.port());
        connector.setScheme("https");
        // Tomcat marks the session cookie Secure here; the session continues on the main host, so the main host must
        // be https too (it is in production; browsers treat http://localhost as secure for the demo).
        connector.setSecure(true);
        protocol.setSSLEnabled(true);
        SSLHostConfig host = new SSLHostConfig();
        host.setProtocols(EidTlsContext.PROTOCOL);
        host.setEnabledProtocols(new String[] {EidTlsContext.PROTOCOL});
        host.setEnabledCiphers(EidTlsContext.CIPHERS);
        // "optional" = JSSE wantClientAuth: the card certificate is asked for, and checked against trusted-cas.
        host.setCertificateVerification("optional");
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
        certificate.setSslContext(context);
        host.addCertificate(certificate);
        protocol.addSslHostConfig(host);
        return connector;
    }
}

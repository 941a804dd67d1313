package io.passerelle.demo;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import io.passerelle.connector.eid.EidListenerProperties;

/**
 * DEMO ONLY, and only with {@code passerelle.demo.enabled: true}: the demo eID card with no manual step. Before
 * any bean exists (the eID listener and the connectors are built from what this leaves behind), it makes sure the
 * demo PKI folder ({@code passerelle.demo.eid-pki-dir}) holds a demo PKI made for this issuer, generating one at
 * the first start as the master key is created, and a new one when the issuer or its host changed (the cards name
 * the OCSP and CRL URLs under the issuer). It then offers, as the lowest-precedence defaults:
 * <ul>
 *   <li>{@code passerelle.demo.eid-listener-url}: https, the issuer's host, {@code passerelle.eid-listener.port},
 *       named by config/demo/connectors/demo-eid.yml as its {@code listener_url};</li>
 *   <li>the eID listener's key store and trusted CAs from the demo PKI, unless the operator configured a
 *       {@code passerelle.eid-listener.key-store} of their own.</li>
 * </ul>
 * Registered in META-INF/spring.factories, so that nothing outside this package names it.
 */
public final class DemoEidSetup implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY_SOURCE = "passerelle-demo-eid";
    static final String LISTENER_URL = "passerelle.demo.eid-listener-url";
    static final String PKI_DIR = "passerelle.demo.eid-pki-dir";
    private static final List<String> CA_FILES = List.of("root-ca.pem", "citizen-ca.pem", "foreigner-ca.pem",
            "kids-ca.pem");

    private final Log log;

    public DemoEidSetup(DeferredLogFactory logs) {
        this.log = logs.getLog(DemoEidSetup.class);
    }

    @Override
    public int getOrder() {
        // After config/application.yml has been read (it says whether the demo is on, and the issuer).
        return ConfigDataEnvironmentPostProcessor.ORDER + 10;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("passerelle.demo.enabled", Boolean.class, false)
                || environment.getProperty("passerelle.issuer") == null) {
            return; // no demo; or no issuer, which IssuerProperties reports by name
        }
        String issuer = environment.getProperty("passerelle.issuer").replaceFirst("/+$", "");
        String host = URI.create(issuer).getHost();
        Path dir = Path.of(environment.getProperty(PKI_DIR, "./data/demo-eid"));
        ensurePki(dir, issuer, host);
        int port = environment.getProperty("passerelle.eid-listener.port", Integer.class, EidListenerProperties.DEFAULT_PORT);
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put(PKI_DIR, dir.toString());
        defaults.put(LISTENER_URL, "https://" + host + ":" + port);
        if (environment.getProperty("passerelle.eid-listener.key-store") == null) {
            defaults.put("passerelle.eid-listener.key-store", dir.resolve("eid-listener-tls.p12").toString());
            defaults.put("passerelle.eid-listener.key-store-password", new String(DemoPki.PASSWORD));
            defaults.put("passerelle.eid-listener.trusted-cas",
                    CA_FILES.stream().map(f -> dir.resolve(f).toString()).collect(Collectors.joining(",")));
        }
        environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, defaults));
    }

    private void ensurePki(Path dir, String issuer, String host) {
        Properties made = DemoPki.madeFor(dir).orElse(null);
        if (made != null && issuer.equals(made.getProperty("base-url")) && host.equals(made.getProperty("tls-host"))) {
            return;
        }
        if (made != null) {
            log.warn("DEMO eID: the demo PKI in " + dir.toAbsolutePath() + " was made for " + made.getProperty("base-url")
                    + "; generating a new one for " + issuer + " (download the demo cards again)");
        }
        try {
            DemoPki.generate(dir, issuer, host);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("DEMO eID: cannot write the demo PKI to " + dir.toAbsolutePath()
                    + " (passerelle.demo.eid-pki-dir): " + e.getMessage(), e);
        }
        log.info("DEMO eID: demo PKI written to " + dir.toAbsolutePath() + " for " + issuer
                + "; the demo cards are at " + issuer + DemoEidCards.PATH + "/<name>.p12 (password demo)");
    }
}

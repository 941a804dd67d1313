package io.passerelle.demo;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

import io.passerelle.config.YamlConfigFile;
import io.passerelle.connector.eid.EidListenerProperties;

/**
 * DEMO ONLY, and only with {@code passerelle.demo.enabled: true} and config/demo/connectors/demo-eid.yml present:
 * the demo eID card with no manual step. Before
 * any bean is created (the eID listener and the connectors are built from what this leaves behind; a bean factory
 * post-processor, so that it sees the final properties, tests' included), it makes sure the
 * demo PKI folder ({@code passerelle.demo.eid-pki-dir}) holds a demo PKI made for this issuer, generating one at
 * the first start as the master key is created, and a new one when the issuer or its host changed (the cards name
 * the OCSP and CRL URLs under the issuer). It then offers, as the lowest-precedence defaults:
 * <ul>
 *   <li>{@code passerelle.demo.eid-listener-url}: https, the issuer's host, {@code passerelle.eid-listener.port},
 *       named by config/demo/connectors/demo-eid.yml as its {@code listener_url};</li>
 *   <li>the eID listener's key store and trusted CAs from the demo PKI, unless the operator configured a
 *       {@code passerelle.eid-listener.key-store} of their own.</li>
 * </ul>
 * Registered by {@link DemoConfiguration} (demo on only), so that nothing outside this package names it.
 */
public final class DemoEidSetup implements BeanFactoryPostProcessor, EnvironmentAware, Ordered {

    static final String PROPERTY_SOURCE = "passerelle-demo-eid";
    static final String LISTENER_URL = "passerelle.demo.eid-listener-url";
    static final String PKI_DIR = "passerelle.demo.eid-pki-dir";
    static final String DEMO_CONNECTOR_FILE = "demo-eid.yml";
    private static final List<String> CA_FILES = List.of("root-ca.pem", "citizen-ca.pem", "foreigner-ca.pem",
            "kids-ca.pem");

    private static final Logger log = LoggerFactory.getLogger(DemoEidSetup.class);

    private ConfigurableEnvironment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = (ConfigurableEnvironment) environment;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        Path dir = Path.of(environment.getProperty(PKI_DIR, "./data/demo-eid"));
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put(PKI_DIR, dir.toString()); // read by the demo OCSP responder, CRLs and card downloads
        if (environment.getProperty("passerelle.issuer") != null && demoEidConfigured(environment)) {
            // (without an issuer IssuerProperties stops the start, naming the property)
            String issuer = environment.getProperty("passerelle.issuer").replaceFirst("/+$", "");
            String host = URI.create(issuer).getHost();
            ensurePki(dir, issuer, host);
            int port = environment.getProperty("passerelle.eid-listener.port", Integer.class,
                    EidListenerProperties.DEFAULT_PORT);
            defaults.put(LISTENER_URL, "https://" + host + ":" + port);
            if (environment.getProperty("passerelle.eid-listener.key-store") == null) {
                defaults.put("passerelle.eid-listener.key-store", dir.resolve("eid-listener-tls.p12").toString());
                defaults.put("passerelle.eid-listener.key-store-password", new String(DemoPki.PASSWORD));
                defaults.put("passerelle.eid-listener.trusted-cas",
                        CA_FILES.stream().map(f -> dir.resolve(f).toString()).collect(Collectors.joining(",")));
            }
        }
        environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, defaults));
    }

    /**
     * True when the config folder has the demo eID connector file, not disabled: without it (a trimmed demo, or a test's own
     * config folder) no PKI is written and no listener opened.
     */
    private static boolean demoEidConfigured(Environment environment) {
        // The default is IssuerProperties' (passerelle.config-dir), which is not bound yet at this point.
        Path configDir = Path.of(environment.getProperty("passerelle.config-dir", "./config"));
        Path file = configDir.resolve("demo/connectors").resolve(DEMO_CONNECTOR_FILE);
        // A file that does not parse is reported by the connector registry, naming file and field.
        try {
            return Files.isRegularFile(file) && YamlConfigFile.read(file).optionalBoolean("enabled", true);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void ensurePki(Path dir, String issuer, String host) {
        Properties made = DemoPki.madeFor(dir).orElse(null);
        if (made != null && issuer.equals(made.getProperty("base-url")) && host.equals(made.getProperty("tls-host"))) {
            return;
        }
        if (made != null) {
            log.warn("DEMO eID: the demo PKI in {} was made for {}; generating a new one for {} (download the demo cards again)",
                    dir.toAbsolutePath(), made.getProperty("base-url"), issuer);
        }
        try {
            DemoPki.generate(dir, issuer, host);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("DEMO eID: cannot write the demo PKI to " + dir.toAbsolutePath()
                    + " (passerelle.demo.eid-pki-dir): " + e.getMessage(), e);
        }
        log.info("DEMO eID: demo PKI written to {} for {}; the demo cards are at {}{}/<name>.p12 (password demo)",
                dir.toAbsolutePath(), issuer, issuer, DemoEidCards.PATH);
    }
}

package io.passerelle.connector;

import java.util.List;

import io.passerelle.audit.AuditLog;
import io.passerelle.config.IssuerProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The connectors the gateway serves: read from the connectors folders at start and reloaded while it runs. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConnectorProperties.class)
public class ConnectorConfiguration {

    /** Every connector file of every connectors folder; a bad one stops the start, naming its file and field. */
    @Bean
    ConnectorReload connectorReload(IssuerProperties issuer, List<ConnectorFactory> factories, AuditLog audit) {
        return new ConnectorReload(issuer.configFolders("connectors"), issuer.issuerId(), factories, audit);
    }

    @Bean
    ConnectorRegistry connectorRegistry(ConnectorReload reload) {
        return reload.registry();
    }

    /** Right after the portals' snapshot: everything a request does sees one version of the connector files. */
    @Bean
    @ConditionalOnWebApplication
    FilterRegistrationBean<jakarta.servlet.Filter> connectorSnapshotFilter(ConnectorRegistry registry) {
        FilterRegistrationBean<jakarta.servlet.Filter> registration =
                new FilterRegistrationBean<>(io.passerelle.config.Pinned.perRequest(registry::pin));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** Off with {@code passerelle.connectors.reload-interval: 0}: the files are then read at start only. */
    @Bean
    @ConditionalOnWebApplication
    io.passerelle.config.ConfigFileWatcher connectorFileWatcher(ConnectorReload reload, ConnectorProperties properties) {
        return new io.passerelle.config.ConfigFileWatcher("connector", "passerelle.connectors.reload-interval", reload::poll,
                properties.reloadInterval());
    }

    /**
     * Once Passerelle answers (the demo provider is served by Passerelle itself), each connector may read
     * what it needs from its provider, in the background: a provider that is down delays nothing. Connectors
     * added or changed later warm up when their reload applies.
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> connectorWarmUp(ConnectorRegistry connectors) {
        return event -> connectors.all().forEach(connector ->
                Thread.ofVirtual().name("warm-up-" + connector.id()).start(connector::warmUp));
    }
}

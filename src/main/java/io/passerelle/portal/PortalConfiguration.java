package io.passerelle.portal;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.passerelle.audit.AuditLog;
import io.passerelle.config.IssuerProperties;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The portals the gateway serves (read from the clients folders at start and reloaded while it runs) and
 * their stored-portal administration (the CLI builds its own, see {@link PortalsCli}).
 */
@Configuration(proxyBeanMethods = false)
public class PortalConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PortalConfiguration.class);

    /** Every portal file of every clients folder; a bad one stops the start, naming its file and field. */
    @Bean
    PortalReload portalReload(IssuerProperties properties, Environment environment, PasswordEncoder encoder,
                              JdbcTemplate jdbcTemplate, AuditLog audit) {
        IssuerProperties.Tokens t = properties.tokens();
        RegisteredClientFactory factory = new RegisteredClientFactory(encoder,
                new TokenLifetimes(t.authorizationCode(), t.accessToken(), t.idToken(), t.refreshToken()));
        return new PortalReload(properties.configFolders("clients"), environment::resolveRequiredPlaceholders, factory,
                new JdbcRegisteredClientRepository(jdbcTemplate), audit);
    }

    @Bean
    PortalRegistry portalRegistry(PortalReload reload) {
        return reload.registry();
    }

    /** First of all filters: everything a request does sees one version of the portal files. */
    @Bean
    @ConditionalOnWebApplication
    FilterRegistrationBean<jakarta.servlet.Filter> portalSnapshotFilter(PortalRegistry registry) {
        FilterRegistrationBean<jakarta.servlet.Filter> registration =
                new FilterRegistrationBean<>(io.passerelle.config.Pinned.perRequest(registry::pin));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Off with {@code passerelle.portals.reload-interval: 0}: the files are then read at start only. */
    @Bean
    @ConditionalOnWebApplication
    io.passerelle.config.ConfigFileWatcher portalFileWatcher(PortalReload reload, PortalProperties properties) {
        return new io.passerelle.config.ConfigFileWatcher("portal", "passerelle.portals.reload-interval", reload::poll,
                properties.reloadInterval());
    }

    /**
     * Configured here: served from memory since start, or a file present now (added since, or one that the
     * operator forgot on this node): either way this node would serve it, so its data must stay.
     */
    @Bean
    StoredPortals storedPortals(JdbcClient jdbc, PlatformTransactionManager transactionManager, AuditLog audit,
                                PortalRegistry registry, IssuerProperties properties) {
        return new StoredPortals(jdbc, new TransactionTemplate(transactionManager), audit,
                clientId -> registry.portal(clientId).isPresent()
                        || PortalFiles.present(properties.configFolders("clients"), clientId));
    }

    /** Stored portals without a file here: kept (another node may serve them), named so drift is seen. */
    @Bean
    ApplicationRunner unservedPortalsReport(StoredPortals stored, PortalRegistry registry) {
        return arguments -> {
            List<String> unserved = stored.notServed(registry.portals().stream().map(PortalConfig::clientId).toList());
            if (!unserved.isEmpty()) {
                log.warn("stored portals not served by this node (no file in its clients folders): {}; their "
                        + "registrations, authorizations and consents are kept. Once no node has their file, "
                        + "`portals remove <client_id>` deletes them.", unserved);
            }
        };
    }
}

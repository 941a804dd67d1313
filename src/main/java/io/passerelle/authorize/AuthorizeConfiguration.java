package io.passerelle.authorize;

import java.time.Clock;

import io.passerelle.broker.Broker;
import io.passerelle.broker.BrowserCookie;
import io.passerelle.broker.KeyChoice;
import io.passerelle.broker.LoginTransactionStore;
import io.passerelle.broker.SignInRedirect;
import io.passerelle.connector.ConnectorRegistry;
import io.passerelle.consent.ConsentLedger;
import io.passerelle.consent.ConsentProperties;
import io.passerelle.identity.AttributeSeal;
import io.passerelle.portal.PortalRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The steps of the authorization endpoint that need the gateway's stores; the others are plain objects. */
@Configuration(proxyBeanMethods = false)
public class AuthorizeConfiguration {

    @Bean
    SignInNeededStep signInNeededStep(ConnectorRegistry connectors, PortalRegistry portals, LoginTransactionStore logins,
                                      Clock clock) {
        KeyChoice.checkAllowedKeys(portals.portals(), connectors);
        return new SignInNeededStep(connectors, portals, logins, clock);
    }

    @Bean
    ConsentNeededStep consentNeededStep(PortalRegistry portals, ConsentLedger ledger, LoginTransactionStore logins,
                                        Clock clock, ConsentProperties properties, AttributeSeal seal) {
        return new ConsentNeededStep(portals::portal, ledger, logins, clock, properties.questionTimeout(), seal);
    }

    @Bean
    MinorsStep minorsStep(PortalRegistry portals, AttributeSeal seal, Clock clock) {
        return new MinorsStep(portals::portal, seal, clock);
    }

    @Bean
    Interactions interactions(SignInRedirect signIn, Broker broker, LoginTransactionStore logins, BrowserCookie cookie) {
        return new Interactions(signIn, broker, logins, cookie);
    }
}

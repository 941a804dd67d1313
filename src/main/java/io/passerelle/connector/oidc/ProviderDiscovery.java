package io.passerelle.connector.oidc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;

/**
 * The provider's discovery document, fetched on first use (so a provider that is down does not stop
 * Passerelle from starting) and then cached for {@code discovery_refresh}. A failed refresh keeps the
 * document we have, and is retried after a short back-off rather than on every login.
 */
final class ProviderDiscovery {

    private static final Logger log = LoggerFactory.getLogger(ProviderDiscovery.class);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(1);

    private final OidcConnectorConfig config;
    private final OidcHttp http;
    private final Clock clock;
    private ProviderMetadata metadata;
    private Instant nextRefresh = Instant.MIN;

    ProviderDiscovery(OidcConnectorConfig config, OidcHttp http, Clock clock) {
        this.config = config;
        this.http = http;
        this.clock = clock;
    }

    /**
     * The current document. Synchronized: one fetch at a time, and logins arriving meanwhile wait for it
     * (at most the connector's timeouts) instead of each fetching their own copy.
     *
     * @throws ConnectorException when there is no document yet and it cannot be fetched or disagrees with
     *         the configuration
     */
    synchronized ProviderMetadata current() {
        Instant now = clock.instant();
        if (metadata != null && now.isBefore(nextRefresh)) {
            return metadata;
        }
        try {
            metadata = fetch();
            nextRefresh = now.plus(config.discoveryRefresh());
        } catch (ConnectorException e) {
            if (metadata == null) {
                throw e;
            }
            Duration retry = config.discoveryRefresh().compareTo(RETRY_AFTER_FAILURE) < 0
                    ? config.discoveryRefresh() : RETRY_AFTER_FAILURE;
            nextRefresh = now.plus(retry);
            log.warn("connector {}: refreshing discovery failed ({}: {}); keeping the previous document",
                    config.common().id(), e.check(), e.getMessage());
        }
        return metadata;
    }

    private ProviderMetadata fetch() {
        OidcHttp.Response response = http.get(config.discoveryUri(), "application/json", null, ProviderMetadata.DISCOVERY);
        if (response.serverError()) {
            throw new ConnectorException(Kind.UNAVAILABLE, ProviderMetadata.DISCOVERY,
                    "discovery answered HTTP " + response.status());
        }
        if (response.status() != 200) {
            // A 404 or a redirect: the discovery_uri (or issuer) is wrong, not a passing failure.
            throw new ConnectorException(Kind.MISCONFIGURED, ProviderMetadata.DISCOVERY,
                    "discovery answered HTTP " + response.status() + " at " + config.discoveryUri());
        }
        return ProviderMetadata.parse(response.text(), config);
    }
}

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
    /** How often the key chooser's view of an unread provider triggers another background attempt. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(10);

    private final OidcConnectorConfig config;
    private final OidcHttp http;
    private final Clock clock;
    private volatile ProviderMetadata metadata;
    private Instant nextRefresh = Instant.MIN;
    private final java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Instant nextProbe = Instant.MIN;
    private volatile boolean warned;

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

    /**
     * True once the document has been read. Never blocks: while there is none, at most one background
     * attempt per {@link #PROBE_INTERVAL} runs (each bounded by the connector's timeouts), so the chooser
     * offers the key again as soon as the provider answers.
     */
    boolean ready() {
        if (metadata != null) {
            return true;
        }
        Instant now = clock.instant();
        if (!now.isBefore(nextProbe) && probing.compareAndSet(false, true)) {
            nextProbe = now.plus(PROBE_INTERVAL);
            Thread.ofVirtual().name("discovery-" + config.common().id()).start(this::attempt);
        }
        return false;
    }

    /** The first attempt, when Passerelle has started: a provider that cannot be read is a warning, not a failure. */
    void warmUp() {
        if (probing.compareAndSet(false, true)) {
            nextProbe = clock.instant().plus(PROBE_INTERVAL);
            attempt();
        }
    }

    private void attempt() {
        try {
            current();
            if (warned) {
                warned = false;
                log.info("connector {}: discovery read; the key is offered again", config.common().id());
            }
        } catch (ConnectorException e) {
            // One warning per outage; the background attempts that follow (one per probe interval) are debug.
            if (warned) {
                log.debug("connector {}: discovery still unreadable ({}: {})", config.common().id(), e.check(), e.getMessage());
            } else {
                warned = true;
                log.warn("connector {}: the provider's discovery document cannot be read ({}: {}); the key is shown as "
                        + "temporarily unavailable until it answers", config.common().id(), e.check(), e.getMessage());
            }
        } catch (RuntimeException e) {
            log.warn("connector {}: reading the discovery document failed", config.common().id(), e);
        } finally {
            probing.set(false);
        }
    }

    private ProviderMetadata fetch() {
        OidcHttp.Response response = http.get(config.discoveryUri(), "application/json", null, ProviderMetadata.DISCOVERY);
        if (response.serverError()) {
            throw new ConnectorException(Kind.SERVER_ERROR, ProviderMetadata.DISCOVERY,
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

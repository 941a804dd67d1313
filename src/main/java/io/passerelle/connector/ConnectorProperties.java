package io.passerelle.connector;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code passerelle.connectors.*}.
 *
 * @param reloadInterval how often each node looks at its connectors folders (names, sizes and modification
 *                       times only) and applies added, changed and removed connector files; {@code 0} turns the
 *                       reload off (files are then read at start only)
 */
@ConfigurationProperties("passerelle.connectors")
public record ConnectorProperties(@DefaultValue("15s") Duration reloadInterval) {

    public ConnectorProperties {
        if (reloadInterval.isNegative()) {
            throw new IllegalArgumentException("passerelle.connectors.reload-interval must be 0 (off) or positive, not "
                    + reloadInterval);
        }
    }
}

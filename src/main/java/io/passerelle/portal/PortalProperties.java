package io.passerelle.portal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code passerelle.portals.*}.
 *
 * @param reloadInterval how often each node looks at its clients folders (names, sizes and modification
 *                       times only) and applies added, changed and removed portal files; {@code 0} turns the
 *                       reload off (files are then read at start only)
 */
@ConfigurationProperties("passerelle.portals")
public record PortalProperties(@DefaultValue("15s") Duration reloadInterval) {

    public PortalProperties {
        if (reloadInterval.isNegative()) {
            throw new IllegalArgumentException("passerelle.portals.reload-interval must be 0 (off) or positive, not "
                    + reloadInterval);
        }
    }
}

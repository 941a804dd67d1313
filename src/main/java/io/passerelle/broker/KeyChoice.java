package io.passerelle.broker;

import java.util.List;
import java.util.Optional;

import io.passerelle.connector.Connector;
import io.passerelle.connector.ConnectorRegistry;

/**
 * Which keys a demand allows, and when the chooser is skipped: a portal's {@code idp_hint} naming a
 * key that reaches the level, or a single key that does. One rule, used by the chooser page and by the
 * authorization endpoint (which then starts the login without the extra round trip to the page).
 */
public final class KeyChoice {

    private KeyChoice() {
    }

    public static List<Connector> candidates(ConnectorRegistry connectors, LoginDemand demand) {
        return connectors.meeting(demand.requiredLoa());
    }

    /** The key to start with at once, if the citizen has nothing to choose. */
    public static Optional<Connector> automatic(ConnectorRegistry connectors, LoginDemand demand) {
        List<Connector> candidates = candidates(connectors, demand);
        if (demand.idpHint() != null) {
            return connectors.find(demand.idpHint()).filter(candidates::contains);
        }
        return candidates.size() == 1 ? Optional.of(candidates.getFirst()) : Optional.empty();
    }

    /** A hint was given but names no key that reaches the level: the chooser says so. */
    public static boolean hintRefused(ConnectorRegistry connectors, LoginDemand demand) {
        return demand.idpHint() != null && automatic(connectors, demand).isEmpty();
    }
}

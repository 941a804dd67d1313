package io.passerelle.connector.eid;

import java.time.Clock;

import org.springframework.stereotype.Component;

import io.passerelle.config.YamlConfigFile;
import io.passerelle.connector.Connector;
import io.passerelle.connector.ConnectorFactory;
import io.passerelle.connector.ConnectorRegistry;
import io.passerelle.connector.ConnectorSettings;

/**
 * Builds {@code type: eid} connectors from config/connectors/&lt;id&gt;.yml (fields in {@link EidConfigReader});
 * the trust anchors are read at start, so a missing or bad certificate file stops the start.
 */
@Component
public final class EidConnectorFactory implements ConnectorFactory {

    public static final String TYPE = "eid";

    private final Clock clock;
    private final org.springframework.core.env.Environment environment;

    public EidConnectorFactory(Clock clock, org.springframework.core.env.Environment environment) {
        this.clock = clock;
        this.environment = environment;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Connector create(ConnectorSettings common, YamlConfigFile file) {
        java.util.Set<String> allowed = new java.util.HashSet<>(ConnectorRegistry.COMMON_FIELDS);
        allowed.addAll(EidConfigReader.FIELDS);
        file.rejectUnknownFields(allowed);
        return new EidConnector(common, EidConfigReader.read(file, environment::resolveRequiredPlaceholders, common.loa()), clock);
    }
}

package io.passerelle.connector.oidc;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import io.passerelle.config.YamlConfigFile;
import io.passerelle.connector.Connector;
import io.passerelle.connector.ConnectorFactory;
import io.passerelle.connector.ConnectorRegistry;
import io.passerelle.connector.ConnectorSettings;
import io.passerelle.keys.KeyRing;

/**
 * Builds {@code type: oidc} connectors from config/connectors/&lt;id&gt;.yml. The file is validated completely
 * here (fields in {@link OidcConnectorConfig}); the provider itself is not contacted until the first login,
 * so a provider that is down does not stop Passerelle from starting.
 */
@Component
public final class OidcConnectorFactory implements ConnectorFactory {

    public static final String TYPE = "oidc";

    private final OidcKeys keys;
    private final Clock clock;
    private final Environment environment;
    private final MeterRegistry meters;

    /** The constructor Spring uses (marked, since the class has two). */
    @Autowired
    public OidcConnectorFactory(KeyRing keyRing, Clock clock, Environment environment, MeterRegistry meters) {
        this(new KeyRingOidcKeys(keyRing), clock, environment, meters);
    }

    /** For tests and for wiring other key sources. */
    public OidcConnectorFactory(OidcKeys keys, Clock clock, Environment environment, MeterRegistry meters) {
        this.keys = keys;
        this.clock = clock;
        this.environment = environment;
        this.meters = meters;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Connector create(ConnectorSettings common, YamlConfigFile file) {
        file.rejectUnknownFields(OidcConfigReader.allFields(ConnectorRegistry.COMMON_FIELDS));
        OidcConnectorConfig config = OidcConfigReader.read(common, file, environment::resolveRequiredPlaceholders);
        return new OidcConnector(config, keys, clock, meters);
    }
}

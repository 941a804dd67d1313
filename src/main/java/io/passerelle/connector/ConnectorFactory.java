package io.passerelle.connector;

import io.passerelle.config.YamlConfigFile;

/**
 * Builds connectors of one {@code type} from their configuration files. Each type's factory is a
 * Spring bean; the {@link ConnectorRegistry} finds it by {@link #type()}.
 */
public interface ConnectorFactory {

    String type();

    /**
     * Validates the type-specific part of one config/connectors file and builds the connector. Every
     * problem is a {@link io.passerelle.config.ConfigFileException} naming the file and the field. The
     * common fields (id, type, display_name, logo, loa) are already validated and passed in.
     */
    Connector create(ConnectorSettings common, YamlConfigFile file);
}

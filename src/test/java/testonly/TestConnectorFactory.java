package testonly;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.passerelle.config.YamlConfigFile;
import io.passerelle.connector.Callback;
import io.passerelle.connector.Connector;
import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorFactory;
import io.passerelle.connector.ConnectorRegistry;
import io.passerelle.connector.ConnectorSettings;
import io.passerelle.connector.Loa;
import io.passerelle.connector.LoginContext;
import io.passerelle.connector.UpstreamIdentity;

/**
 * TEST ONLY: connector type {@code test}, a stand-in upstream provider for broker tests. {@code start}
 * sends the browser straight back to the broker's callback with {@code code=<subject>:<loa>}; a test may
 * instead call the callback itself with any code (or {@code error=access_denied}), as a real provider
 * would redirect.
 */
public final class TestConnectorFactory implements ConnectorFactory {

    @Override
    public String type() {
        return "test";
    }

    @Override
    public Connector create(ConnectorSettings common, YamlConfigFile file) {
        file.rejectUnknownFields(union(ConnectorRegistry.COMMON_FIELDS, Set.of("subject", "attributes")));
        String subject = file.optionalString("subject").orElse("test-subject");
        return new TestConnector(common, subject, file.optionalStringMap("attributes"));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * A {@code login_hint} of {@code subject} or {@code subject/national-number} signs in that person
     * instead of the configured subject, so a test can have a citizen of its own.
     */
    record TestConnector(ConnectorSettings settings, String subject, Map<String, String> attributes) implements Connector {
        @Override
        public String id() {
            return settings.id();
        }

        @Override
        public String type() {
            return "test";
        }

        @Override
        public Map<String, String> displayName() {
            return settings.displayName();
        }

        @Override
        public String logo() {
            return settings.logo();
        }

        @Override
        public Loa maxLoa() {
            return settings.loa();
        }

        @Override
        public URI start(LoginContext login) {
            String person = login.loginHint() == null ? subject : login.loginHint().replace('/', ':');
            return URI.create(login.callbackUri() + "?state=" + login.state() + "&code=" + person.split(":")[0] + ":"
                    + settings.loa().configName() + (person.contains(":") ? ":" + person.split(":")[1] : ""));
        }

        @Override
        public UpstreamIdentity finish(LoginContext login, Callback callback) {
            if ("access_denied".equals(callback.parameter("error"))) {
                throw new ConnectorException(ConnectorException.Kind.CANCELLED, "UpstreamError", "citizen cancelled");
            }
            String code = callback.parameter("code");
            if (code == null || !code.contains(":")) {
                throw new ConnectorException(ConnectorException.Kind.INVALID_RESPONSE, "CodePresent", "no code");
            }
            String[] parts = code.split(":", 3);
            Map<String, Object> verified = new java.util.LinkedHashMap<>(attributes);
            if (parts.length == 3) {
                verified.put("national_number", parts[2]);
            }
            return new UpstreamIdentity(id(), parts[0], Loa.fromName(parts[1]), List.of("test"), Instant.now(), verified);
        }
    }
}

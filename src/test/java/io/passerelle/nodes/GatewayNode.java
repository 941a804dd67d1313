package io.passerelle.nodes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

import io.passerelle.PasserelleApplication;
import io.passerelle.issuer.PortalFixture;
import testonly.TestSignInConfiguration;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One Passerelle node of a cluster in a test: a whole application context on its own port, sharing the
 * cluster's database, master key and issuer URL (the load balancer's address) with the other nodes, as an
 * operator would run them. Started and stopped by the test, so a node can die in the middle of a login.
 */
final class GatewayNode implements AutoCloseable {

    final int port;
    private ConfigurableApplicationContext context;

    private GatewayNode(int port, ConfigurableApplicationContext context) {
        this.port = port;
        this.context = context;
    }

    /** A node serving {@code fixture}'s portals on {@code port}, with {@code shared} settings (database, keys, sessions). */
    static GatewayNode start(PortalFixture fixture, int port, String configDir, Map<String, Object> shared) {
        Map<String, Object> properties = new LinkedHashMap<>(shared);
        properties.put("server.port", port);
        properties.put("passerelle.issuer", fixture.issuer);
        properties.put("passerelle.config-dir", configDir);
        properties.put("passerelle.config-file", "target/no-operator-config.yml");
        properties.put("REGION_PORTAL_SECRET", PortalFixture.REGION_SECRET);
        properties.put("spring.main.banner-mode", "off");
        // As command-line arguments: they override the built-in application.yml, as an operator's settings do.
        String[] arguments = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(PasserelleApplication.class,
                TestSignInConfiguration.class).run(arguments);
        return new GatewayNode(port, context);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    boolean running() {
        return context != null;
    }

    /** The node dies: its port closes, whatever it held in memory is gone. */
    @Override
    public void close() {
        if (context != null) {
            context.close();
            context = null;
        }
    }
}

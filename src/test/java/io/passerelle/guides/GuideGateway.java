package io.passerelle.guides;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import io.passerelle.PasserelleApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * A real Passerelle for a guide's portal: the shipped demo (its mobile-ID provider is the citizen's key),
 * and the guide's own portal file from docs/portals, with the guide's port 8081 replaced by the port the
 * test gave the portal. Nothing test-only is loaded: the portal meets the gateway operators run.
 */
final class GuideGateway implements AutoCloseable {

    /** The port the guides' files and configurations name for the portal. */
    static final String GUIDE_PORTAL = "http://localhost:8081";

    final int port = freePort();
    final String issuer = "http://localhost:" + port;
    private final Path work;
    private final ConfigurableApplicationContext context;

    /** Starts a gateway serving {@code portalFile} (a config/clients file) for a portal on {@code portalPort}. */
    GuideGateway(Path portalFile, int portalPort) throws IOException {
        work = Files.createTempDirectory("passerelle-guide");
        Path config = work.resolve("config");
        Files.createDirectories(config.resolve("clients"));
        Files.createDirectories(config.resolve("connectors"));
        FileSystemUtils.copyRecursively(Path.of("config/demo"), config.resolve("demo"));
        String portal = Files.readString(portalFile);
        if (!portal.contains(GUIDE_PORTAL)) {
            throw new IllegalStateException(portalFile + " no longer names " + GUIDE_PORTAL + ": the test cannot move it");
        }
        Files.writeString(config.resolve("clients").resolve(portalFile.getFileName()),
                portal.replace(GUIDE_PORTAL, "http://localhost:" + portalPort));
        byte[] masterKey = new byte[32];
        new SecureRandom().nextBytes(masterKey);
        context = new SpringApplicationBuilder(PasserelleApplication.class).run(
                "--passerelle.config-file=target/no-operator-config.yml", "--server.port=" + port,
                "--passerelle.issuer=" + issuer, "--passerelle.config-dir=" + config,
                "--passerelle.demo.enabled=true", "--passerelle.demo.eid-pki-dir=" + work.resolve("demo-eid"),
                "--passerelle.eid-listener.port=" + freePort(),
                "--passerelle.keys.master-key=" + Base64.getEncoder().encodeToString(masterKey),
                "--spring.datasource.url=jdbc:h2:mem:guide-" + port + ";DB_CLOSE_DELAY=-1");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        context.close();
        FileSystemUtils.deleteRecursively(work.toFile());
    }
}

package io.passerelle.guides;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * The Node portal guide (docs/portals/node, openid-client) run end to end against a real Passerelle: its
 * e2e.mjs starts the guide's portal and drives a citizen through sign-in, RP-initiated logout, back-channel
 * logout and a forged logout token (see that file). Needs node and the guide's packages (`npm ci` in
 * docs/portals/node, which .ci/run does); without node it is skipped, and without the packages it is skipped
 * on a developer machine but fails under CI=true.
 */
class NodePortalGuideTest {

    static final Path GUIDE = Path.of("docs/portals/node");

    @Test
    void theNodeGuidePortalSignsInAndOutAgainstPasserelle() throws Exception {
        String node = onPath("node");
        if (node == null) {
            Assumptions.abort("node is not installed: the Node portal guide is not run");
        }
        if (!Files.isDirectory(GUIDE.resolve("node_modules/openid-client"))) {
            String message = "the Node guide's packages are not installed: run `npm ci` in " + GUIDE + " (.ci/run does)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true and node is present: the Node guide cannot be skipped: " + message);
            }
            Assumptions.abort(message);
        }
        int portalPort = GuideGateway.freePort();
        Path work = Files.createTempDirectory("node-portal");
        try (GuideGateway gateway = new GuideGateway(GUIDE.resolve("passerelle/city-portal-node.yml"), portalPort)) {
            Path key = work.resolve("portal-key.pem");
            var rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder()
                    .encodeToString(rsa.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
            Path output = work.resolve("e2e.log");
            ProcessBuilder run = new ProcessBuilder(node, "e2e.mjs").directory(GUIDE.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            run.environment().put("PASSERELLE_ISSUER", gateway.issuer);
            run.environment().put("PORTAL_PORT", String.valueOf(portalPort));
            run.environment().put("PORTAL_CLIENT_KEY", key.toAbsolutePath().toString());
            run.environment().put("E2E_TIMEOUT_MS", "90000");
            Process process = run.start();
            boolean finished = process.waitFor(120, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String log = Files.readString(output, StandardCharsets.UTF_8);
            System.out.print(log.lines().map(line -> "node e2e.mjs: " + line + "\n").collect(java.util.stream.Collectors.joining()));
            assertThat(finished).as("node e2e.mjs finished within 120 s:\n" + log).isTrue();
            assertThat(process.exitValue()).as("node e2e.mjs exit status:\n" + log).isZero();
            assertThat(log).contains("signed in: acr=http://eidas.europa.eu/LoA/substantial sid=",
                    "RP-initiated logout: back-channel logout received for sid=",
                    "sign-out at Passerelle: back-channel logout ended the portal session of sid=",
                    "forged authorization response refused", "forged logout token refused");
            assertThat(log.strip()).endsWith("e2e: OK");
        } finally {
            FileSystemUtils.deleteRecursively(work);
        }
    }

    private static String onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(dir, command);
            if (candidate.canExecute()) {
                return candidate.getAbsolutePath();
            }
        }
        return null;
    }
}

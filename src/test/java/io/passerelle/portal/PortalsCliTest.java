package io.passerelle.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The CLI main class starts without a web server and without loading portal files (no client secret in the
 * shell's environment), and runs against the gateway's database and clients folder.
 */
@ExtendWith(OutputCaptureExtension.class)
class PortalsCliTest {

    @TempDir
    Path config;

    @Test
    void dryRunThenRemoveAgainstTheConfiguredDatabase(CapturedOutput output) throws Exception {
        String url = "jdbc:h2:mem:portals_cli_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        Files.createDirectories(config.resolve("clients"));
        // A file that would not even load (its secret is not in this environment): it still counts as configured.
        Files.writeString(config.resolve("clients/kept-portal.yml"), "client_id: kept-portal\nclient_secret: ${KEPT_SECRET}\n");
        String[] settings = {"--spring.datasource.url=" + url, "--passerelle.config-file=target/no-operator-config.yml",
                "--passerelle.issuer=http://localhost:8080", "--passerelle.config-dir=" + config};

        // The first run migrates the empty database; nothing is stored yet.
        assertThat(PortalsCli.run(args(settings, "portals", "remove", "old-portal", "--dry-run"))).isEqualTo(PortalsCommand.FAILED);
        JdbcClient jdbc = JdbcClient.create(new DriverManagerDataSource(url, "sa", ""));
        for (String portal : new String[] {"old-portal", "kept-portal"}) {
            jdbc.sql("INSERT INTO oauth2_registered_client (id, client_id, client_name, client_authentication_methods, "
                    + "authorization_grant_types, scopes, client_settings, token_settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(portal, portal, portal, "none", "authorization_code", "openid", "{}", "{}").update();
        }

        assertThat(PortalsCli.run(args(settings, "portals", "remove", "old-portal", "--dry-run"))).isEqualTo(PortalsCommand.OK);
        assertThat(output.getOut()).contains("Dry run, nothing deleted. Removing portal old-portal would delete:",
                "  registered client: 1");
        assertThat(PortalsCli.run(args(settings, "portals", "remove", "kept-portal", "--reason", "oops")))
                .isEqualTo(PortalsCommand.FAILED);
        assertThat(PortalsCli.run(args(settings, "portals", "remove", "old-portal", "--reason", "contract ended")))
                .isEqualTo(PortalsCommand.OK);
        assertThat(output.getOut()).contains("Removed portal old-portal (audited as PORTAL_REMOVED).");
        assertThat(jdbc.sql("SELECT client_id FROM oauth2_registered_client").query(String.class).list())
                .containsExactly("kept-portal");
        assertThat(jdbc.sql("SELECT actor FROM audit_event WHERE event_type = 'PORTAL_REMOVED'").query(String.class).single())
                .isEqualTo(PortalsCli.actor());
        assertThat(output.getAll()).contains("portal 'kept-portal' is still configured on this node")
                .doesNotContain("Tomcat started", "Started PasserelleApplication");
        assertThat(PortalsCli.run(new String[] {"portals", "frobnicate"})).isEqualTo(PortalsCommand.USAGE);
    }

    private static String[] args(String[] settings, String... command) {
        String[] all = new String[command.length + settings.length];
        System.arraycopy(command, 0, all, 0, command.length);
        System.arraycopy(settings, 0, all, command.length, settings.length);
        return all;
    }
}

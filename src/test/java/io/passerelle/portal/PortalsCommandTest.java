package io.passerelle.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import io.passerelle.audit.AuditType;
import io.passerelle.audit.JdbcAuditLog;
import io.passerelle.testsupport.MigratedDatabase;
import io.passerelle.testsupport.MutableClock;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The {@code portals} commands on a real database, without starting Spring. */
class PortalsCommandTest {

    @TempDir
    Path clients;
    private JdbcClient jdbc;
    private JdbcAuditLog audit;
    private StoredPortals portals;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        DataSource database = MigratedDatabase.h2();
        jdbc = JdbcClient.create(database);
        audit = new JdbcAuditLog(jdbc, MutableClock.atNow());
        portals = new StoredPortals(jdbc, new TransactionTemplate(new DataSourceTransactionManager(database)), audit,
                clientId -> PortalFiles.present(List.of(clients), clientId));
        Files.writeString(clients.resolve("kept-portal.yml"), "client_id: kept-portal\n");
        for (String portal : List.of("old-portal", "kept-portal")) {
            jdbc.sql("INSERT INTO oauth2_registered_client (id, client_id, client_name, client_authentication_methods, "
                    + "authorization_grant_types, scopes, client_settings, token_settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(portal, portal, portal, "none", "authorization_code", "openid", "{}", "{}").update();
            jdbc.sql("INSERT INTO oauth2_authorization (id, registered_client_id, principal_name, authorization_grant_type) "
                    + "VALUES (?, ?, ?, ?)").params(portal + "-a", portal, "citizen-1", "authorization_code").update();
        }
    }

    @Test
    void listNamesEveryStoredPortalAndWhetherThisNodeHasItsFile() {
        assertThat(run("portals", "list")).isEqualTo(PortalsCommand.OK);
        assertThat(out()).isEqualTo(String.format("%-40s %s%n%-40s %s%n%-40s %s%n", "CLIENT_ID", "FILE ON THIS NODE",
                "kept-portal", "yes", "old-portal", "no"));
    }

    @Test
    void aDryRunPrintsTheCountsAndDeletesNothing() {
        assertThat(run("portals", "remove", "old-portal", "--dry-run")).isEqualTo(PortalsCommand.OK);

        assertThat(out()).isEqualTo(String.join(System.lineSeparator(),
                "Dry run, nothing deleted. Removing portal old-portal would delete:",
                "  authorizations:    1", "  consent decisions: 0", "  session portals:   0", "  server consents:   0",
                "  registered client: 1", ""));
        assertThat(rows("oauth2_authorization")).isEqualTo(2);
        assertThat(audit.since(Instant.EPOCH, 10)).isEmpty();
    }

    @Test
    void removeDeletesAndIsAuditedWithTheOsUserAndTheReason() {
        assertThat(run("portals", "remove", "old-portal", "--reason=contract ended", "--spring.main.banner-mode=off"))
                .isEqualTo(PortalsCommand.OK);

        assertThat(out()).startsWith("Removed portal old-portal (audited as PORTAL_REMOVED). Deleted:")
                .contains("  authorizations:    1", "  registered client: 1");
        assertThat(rows("oauth2_authorization")).isEqualTo(1);
        assertThat(audit.since(Instant.EPOCH, 10)).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(AuditType.PORTAL_REMOVED);
            assertThat(event.actor()).isEqualTo("cli:tester");
            assertThat(event.reason()).isEqualTo("contract ended");
        });
    }

    @Test
    void aConfiguredOrUnknownPortalFailsAndMistakesGetUsage() {
        assertThat(run("portals", "remove", "kept-portal", "--reason", "oops")).isEqualTo(PortalsCommand.FAILED);
        assertThat(err()).contains("portals: portal 'kept-portal' is still configured on this node");
        assertThat(run("portals", "remove", "never-seen", "--dry-run")).isEqualTo(PortalsCommand.FAILED);
        assertThat(err()).contains("portals: nothing is stored for portal 'never-seen'");
        assertThat(run("portals", "remove", "old-portal")).isEqualTo(PortalsCommand.USAGE);
        assertThat(err()).contains("portals: --reason is required (or --dry-run)");
        assertThat(run("portals", "remove")).isEqualTo(PortalsCommand.USAGE);
        assertThat(err()).contains("usage: portals list");
        assertThat(rows("oauth2_authorization")).isEqualTo(2);
        assertThat(audit.since(Instant.EPOCH, 10)).isEmpty();
    }

    private int run(String... args) {
        return PortalsCommand.run(List.of(args), portals, "cli:tester",
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private int rows(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Integer.class).single();
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}

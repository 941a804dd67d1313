package io.passerelle.keys.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditType;
import io.passerelle.audit.JdbcAuditLog;
import io.passerelle.keys.JdbcKeyRepository;
import io.passerelle.keys.KeyAlgorithm;
import io.passerelle.keys.KeyPolicy;
import io.passerelle.keys.KeyRing;
import io.passerelle.keys.KeyRotation;
import io.passerelle.keys.MasterKey;
import io.passerelle.testsupport.MigratedDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The CLI's commands on a real key ring, without starting Spring. */
class KeysCommandTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    private KeyRing ring;
    private KeyRotation rotation;
    private JdbcAuditLog audit;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        DataSource database = MigratedDatabase.h2();
        JdbcKeyRepository repository = new JdbcKeyRepository(JdbcClient.create(database));
        audit = new JdbcAuditLog(JdbcClient.create(database), CLOCK);
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        ring = new KeyRing(repository, new MasterKey(master, "test"), CLOCK, audit);
        rotation = new KeyRotation(ring, repository, new KeyPolicy(Duration.ofDays(90), Duration.ofHours(1),
                Duration.ofHours(8), Duration.ofMinutes(5)), CLOCK, audit,
                new TransactionTemplate(new DataSourceTransactionManager(database)));
    }

    @Test
    void listShowsEveryKeyWithItsStateAndNextEvent() {
        assertThat(run("keys", "list")).isEqualTo(KeysCommand.OK);

        assertThat(out()).contains("KID", "RS256", "PS256", "ES256", "RSA-OAEP-256", "active",
                "rotates 2026-05-30 12:00:00", ring.activeKid(KeyAlgorithm.RS256).orElseThrow());
    }

    @Test
    void rotateAndRevokeAreAuditedWithTheOsUserAndTheReason() {
        String compromised = ring.activeKid(KeyAlgorithm.ES256).orElseThrow();

        assertThat(run("keys", "rotate", "--reason", "yearly drill")).isEqualTo(KeysCommand.OK);
        assertThat(run("keys", "revoke", compromised, "--reason=laptop stolen", "--spring.main.banner-mode=off"))
                .isEqualTo(KeysCommand.OK);

        assertThat(out()).contains("rotation_requested RS256", "published ES256", "revoked ES256 " + compromised,
                "ES256 now signs with " + ring.activeKid(KeyAlgorithm.ES256).orElseThrow());
        List<AuditEvent> events = audit.since(Instant.EPOCH, 100);
        assertThat(events).filteredOn(e -> e.type() == AuditType.KEY_REVOKED).singleElement()
                .satisfies(e -> {
                    assertThat(e.actor()).isEqualTo("cli:tester");
                    assertThat(e.reason()).isEqualTo("laptop stolen");
                });
        assertThat(run("revoke", compromised, "--reason", "again")).isEqualTo(KeysCommand.OK);
        assertThat(out()).contains("was already revoked");
    }

    @Test
    void mistakesGetUsageOrAnErrorAndAFailingStatus() {
        assertThat(run("keys")).isEqualTo(KeysCommand.USAGE);
        assertThat(run("keys", "rotate")).isEqualTo(KeysCommand.USAGE);
        assertThat(run("keys", "revoke", "--reason", "why")).isEqualTo(KeysCommand.USAGE);
        assertThat(err()).contains("usage: keys list", "--reason is required");
        assertThat(run("keys", "revoke", "no-such-kid", "--reason", "why")).isEqualTo(KeysCommand.FAILED);
        assertThat(err()).contains("No key with kid 'no-such-kid'");
    }

    private int run(String... args) {
        return KeysCommand.run(List.of(args), rotation, "cli:tester",
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}

package io.passerelle.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import io.passerelle.audit.AuditConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.AbstractApplicationContextRunner;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The wiring, in a small context (DataSource, Flyway, JdbcClient and this configuration only): Flyway runs
 * before the ring reads its table, properties bind, and a bad master key stops the start with its message.
 */
class KeyRingConfigurationTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return configured(new ApplicationContextRunner());
    }

    private static <R extends AbstractApplicationContextRunner<R, ?, ?>> R configured(R runner) {
        return runner
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class,
                        FlywayAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class))
                .withUserConfiguration(KeyRingConfiguration.class, AuditConfiguration.class)
                .withBean(Clock.class, Clock::systemUTC)
                .withPropertyValues(
                        "spring.datasource.url=jdbc:h2:mem:cfg_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                        "spring.flyway.locations=classpath:db/migration");
    }

    @Test
    void theRingStartsOnAMigratedDatabaseWithAFileMasterKey() {
        Path file = dir.resolve("data/master.key");
        runner().withPropertyValues("passerelle.keys.master-key-file=" + file).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(KeyRing.class);
            assertThat(context.getBean(KeyRing.class).publicJwks().size()).isEqualTo(4);
            assertThat(context.getBean(MasterKey.class).source()).isEqualTo("file " + file.toAbsolutePath());
            assertThat(file).exists();
        });
    }

    @Test
    void inTheGatewayTheRingFollowsChangesOfOtherNodesUntilShutdown() {
        String url = "jdbc:h2:mem:cfg_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        AtomicReference<KeyRingWatcher> watcher = new AtomicReference<>();
        configured(new WebApplicationContextRunner()).withPropertyValues("spring.datasource.url=" + url,
                "passerelle.keys.master-key-file=" + dir.resolve("m.key"), "passerelle.keys.propagation-interval=100ms")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(KeyRingWatcher.class);
                    watcher.set(context.getBean(KeyRingWatcher.class));
                    assertThat(watcher.get().isRunning()).isTrue();
                    KeyRing ring = context.getBean(KeyRing.class);
                    String kid = ring.activeKid(KeyAlgorithm.PS256).orElseThrow();
                    // Another node, with its own connections, revokes the key in the shared table.
                    KeyRepository otherNode = new JdbcKeyRepository(JdbcClient.create(new DriverManagerDataSource(url, "sa", "")));
                    StoredKey row = otherNode.find(kid).orElseThrow();
                    assertThat(otherNode.updateState(kid, row.version(), KeyState.REVOKED, row.activatedAt(), null,
                            row.createdAt())).isTrue();

                    KeyPropagationContract.elapsedUntil(System.nanoTime(), () -> ring.activeKid(KeyAlgorithm.PS256).isEmpty());
                    assertThat(ring.publicJwks().getKeyByKeyId(kid)).isNull();
                });
        // The context is closed: the watcher's thread has stopped with it.
        assertThat(watcher.get().isRunning()).isFalse();
    }

    @Test
    void theMasterKeyPropertyBindsAndWins() {
        String masterKey = Base64.getEncoder().encodeToString(new byte[32]);
        runner().withPropertyValues("passerelle.keys.master-key=" + masterKey,
                "passerelle.keys.master-key-file=" + dir.resolve("unused.key")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(MasterKey.class).source()).isEqualTo("property passerelle.keys.master-key");
            assertThat(dir.resolve("unused.key")).doesNotExist();
        });
    }

    @Test
    void restartingWithTheWrongMasterKeyFailsClearlyAndChangesNothing() {
        String database = "spring.datasource.url=jdbc:h2:file:" + dir.resolve("db/passerelle") + ";DB_CLOSE_ON_EXIT=FALSE";
        String rightKey = "passerelle.keys.master-key=" + Base64.getEncoder().encodeToString(MasterKeyTest.random32());
        runner().withPropertyValues(database, "spring.datasource.username=sa", rightKey).run(context -> {
            assertThat(context).hasNotFailed();
            KeyRotation rotation = context.getBean(KeyRotation.class);
            // Keys in several states: next, active, revoked (the revoked PS256 key's successor took over).
            rotation.rotateNow("cli:test", "drill");
            rotation.revoke(context.getBean(KeyRing.class).activeKid(KeyAlgorithm.PS256).orElseThrow(), "cli:test", "drill");
        });
        DriverManagerDataSource files = new DriverManagerDataSource(database.substring("spring.datasource.url=".length()), "sa", "");
        JdbcClient jdbc = JdbcClient.create(files);
        List<StoredKey> before = new JdbcKeyRepository(jdbc).findAll();
        long events = jdbc.sql("SELECT COUNT(*) FROM audit_event").query(Long.class).single();

        String wrongKey = "passerelle.keys.master-key=" + Base64.getEncoder().encodeToString(MasterKeyTest.random32());
        runner().withPropertyValues(database, "spring.datasource.username=sa", wrongKey).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            while (failure != null && !(failure instanceof KeyRingStartupException)) {
                failure = failure.getCause();
            }
            assertThat(failure).as("the start-up failure names the problem")
                    .hasMessageContaining("The master key is wrong")
                    .hasMessageContaining("property passerelle.keys.master-key")
                    .hasMessageContaining("Nothing was changed");
        });

        assertThat(before).extracting(StoredKey::state).contains(KeyState.NEXT, KeyState.ACTIVE, KeyState.REVOKED);
        assertThat(new JdbcKeyRepository(jdbc).findAll()).isEqualTo(before);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event").query(Long.class).single()).isEqualTo(events);
    }

    @Test
    void aSignedTokenOutlivingTheKeepTimeStopsTheStart() {
        runner().withPropertyValues("passerelle.keys.master-key-file=" + dir.resolve("m.key"),
                "passerelle.tokens.id-token=9h").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(KeyRingStartupException.class)
                    .hasMessageContaining("passerelle.tokens.id-token (PT9H) is longer than passerelle.keys.max-token-lifetime");
        });
        runner().withPropertyValues("passerelle.keys.master-key-file=" + dir.resolve("m.key"),
                "passerelle.tokens.id-token=9h", "passerelle.keys.max-token-lifetime=10h").run(context ->
                assertThat(context).hasNotFailed());
    }

    @Test
    void aBadMasterKeyStopsTheStartWithItsMessage() {
        runner().withPropertyValues("passerelle.keys.master-key=c2hvcnQ=").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(KeyRingStartupException.class)
                    .hasMessageContaining("passerelle.keys.master-key decodes to 5 bytes");
        });
    }
}

package io.passerelle.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The wiring, in a small context (DataSource, Flyway, JdbcClient and this configuration only): Flyway runs
 * before the ring reads its table, properties bind, and a bad master key stops the start with its message.
 */
class KeyRingConfigurationTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class,
                        FlywayAutoConfiguration.class))
                .withUserConfiguration(KeyRingConfiguration.class)
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
    void aBadMasterKeyStopsTheStartWithItsMessage() {
        runner().withPropertyValues("passerelle.keys.master-key=c2hvcnQ=").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(KeyRingStartupException.class)
                    .hasMessageContaining("passerelle.keys.master-key decodes to 5 bytes");
        });
    }
}

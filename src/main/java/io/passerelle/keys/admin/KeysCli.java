package io.passerelle.keys.admin;

import io.passerelle.config.OperatorCommandLine;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import io.passerelle.audit.AuditConfiguration;
import io.passerelle.keys.KeyRingConfiguration;
import io.passerelle.keys.KeyRotation;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * {@code keys list|rotate|revoke} from a shell, next to a running gateway: the same configuration
 * (config/application.yml, environment), the same database and master key, but no web server, no
 * scheduler, no portals: only the key ring, its rotation and the audit trail. The actor in the audit
 * trail is {@code cli:<os user>}.
 * <pre>
 * java -cp passerelle.jar -Dloader.main=io.passerelle.keys.admin.KeysCli \
 *      org.springframework.boot.loader.launch.PropertiesLauncher keys revoke &lt;kid&gt; --reason "..."
 * mvn spring-boot:run -Dspring-boot.run.main-class=io.passerelle.keys.admin.KeysCli \
 *      -Dspring-boot.run.arguments="keys list"
 * </pre>
 */
public final class KeysCli {

    private KeysCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Starts the key context, runs the command, closes it; returns the exit status. */
    static int run(String[] args) {
        List<String> arguments = Arrays.asList(args);
        if (arguments.stream().noneMatch(arg -> arg.equals("list") || arg.equals("rotate") || arg.equals("revoke"))) {
            System.err.println(KeysCommand.HELP);
            return KeysCommand.USAGE;
        }
        try (ConfigurableApplicationContext context = OperatorCommandLine.start(Context.class, args)) {
            return KeysCommand.run(arguments, context.getBean(KeyRotation.class), actor(), System.out, System.err);
        }
    }

    static String actor() {
        return OperatorCommandLine.actor();
    }

    /**
     * What the CLI starts. Deliberately not a {@code @Configuration}: the gateway's component scan must not
     * pick it up (it would add a second Clock to the gateway).
     */
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class, FlywayAutoConfiguration.class})
    @Import({KeyRingConfiguration.class, AuditConfiguration.class})
    static class Context {

        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }
    }
}

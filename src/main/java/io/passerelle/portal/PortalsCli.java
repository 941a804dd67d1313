package io.passerelle.portal;

import io.passerelle.config.OperatorCommandLine;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import io.passerelle.audit.AuditConfiguration;
import io.passerelle.audit.AuditLog;
import io.passerelle.config.IssuerProperties;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code portals list|remove} from a shell, next to the gateway: the same configuration (config/application.yml,
 * environment) and database, but no web server and no portal loading (a portal file is recognised by its name,
 * so no client secret needs to be in this shell's environment). The actor in the audit trail is
 * {@code cli:<os user>}.
 * <pre>
 * mvn spring-boot:run -Dspring-boot.run.arguments="portals remove old-portal --dry-run"
 * </pre>
 */
public final class PortalsCli {

    private PortalsCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Starts the context, runs the command, closes it; returns the exit status. */
    static int run(String[] args) {
        List<String> arguments = Arrays.asList(args);
        if (arguments.stream().noneMatch(arg -> arg.equals("list") || arg.equals("remove"))) {
            System.err.println(PortalsCommand.HELP);
            return PortalsCommand.USAGE;
        }
        try (ConfigurableApplicationContext context = OperatorCommandLine.start(Context.class, args)) {
            return PortalsCommand.run(arguments, context.getBean(StoredPortals.class), actor(), System.out, System.err);
        }
    }

    static String actor() {
        return OperatorCommandLine.actor();
    }

    /** What the CLI starts; not a {@code @Configuration}, so that the gateway's component scan skips it. */
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class, FlywayAutoConfiguration.class})
    @Import(AuditConfiguration.class)
    @EnableConfigurationProperties(IssuerProperties.class)
    static class Context {

        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }

        /** Configured here means a file in this node's clients folders: the CLI serves nothing itself. */
        @Bean
        StoredPortals storedPortals(JdbcClient jdbc, PlatformTransactionManager transactionManager, AuditLog audit,
                                    IssuerProperties properties) {
            return new StoredPortals(jdbc, new TransactionTemplate(transactionManager), audit,
                    clientId -> PortalFiles.present(properties.configFolders("clients"), clientId));
        }
    }
}

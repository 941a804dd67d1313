package io.passerelle.config;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the operator's commands ({@code keys ...}, {@code portals ...}) share: a small context with no web
 * server, on the gateway's configuration and database, and the actor the audit trail names.
 */
public final class OperatorCommandLine {

    private OperatorCommandLine() {
    }

    /**
     * Starts {@code context} quietly: the command's printed table is its output, the audit trail in the
     * database its record. A default only: config/application.yml or {@code --logging.level.root=info} can
     * turn logs back on.
     */
    public static ConfigurableApplicationContext start(Class<?> context, String[] args) {
        return new SpringApplicationBuilder(context)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties("logging.level.root=warn")
                .run(args);
    }

    /** The operator, as audit events name them. */
    public static String actor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }
}

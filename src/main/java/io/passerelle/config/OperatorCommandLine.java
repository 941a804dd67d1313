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

    /**
     * A command's words and its own options: {@code --reason <why>} (or {@code --reason=<why>}) and
     * {@code --dry-run}; any other {@code --x} is a Spring property and not the command's. A leading
     * {@code name} (as {@code keys} or {@code portals}) is dropped.
     */
    public record Arguments(java.util.List<String> words, String reason, boolean dryRun) {

        public static Arguments parse(java.util.List<String> args, String name) {
            java.util.List<String> words = new java.util.ArrayList<>();
            String reason = null;
            boolean dryRun = false;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.equals("--reason") && i + 1 < args.size()) {
                    reason = args.get(++i);
                } else if (arg.startsWith("--reason=")) {
                    reason = arg.substring("--reason=".length());
                } else if (arg.equals("--dry-run")) {
                    dryRun = true;
                } else if (!arg.startsWith("--")) {
                    words.add(arg);
                }
            }
            if (!words.isEmpty() && words.getFirst().equals(name)) {
                words.removeFirst();
            }
            return new Arguments(java.util.List.copyOf(words), reason, dryRun);
        }

        /** The first word, or "" when there is none. */
        public String command() {
            return words.isEmpty() ? "" : words.getFirst();
        }
    }
}

package io.passerelle.portal;

import io.passerelle.config.OperatorCommandLine;

import java.io.PrintStream;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The {@code portals} command line, apart from starting Spring (see {@link PortalsCli}):
 * <pre>
 * portals list
 * portals remove &lt;client_id&gt; --dry-run
 * portals remove &lt;client_id&gt; --reason "contract ended"
 * </pre>
 * Arguments starting with {@code --} other than {@code --reason} and {@code --dry-run} are Spring properties
 * and ignored here.
 */
final class PortalsCommand {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final String HELP = """
            usage: portals list                                   stored portals, and whether this node has their file
                   portals remove <client_id> --dry-run           what removal would delete; deletes nothing
                   portals remove <client_id> --reason <why>      deletes the portal's authorizations (every token issued
                                                                  to it), consent decisions, session rows and registration
            A portal whose file this node still has is refused: remove the file from every node first (a node lets it go within its reload interval).
            Spring properties may follow, e.g. --spring.datasource.url=... (the gateway's config/application.yml is read).""";

    private PortalsCommand() {
    }

    /** Runs one command; returns the process exit status. */
    static int run(List<String> args, StoredPortals portals, String actor, PrintStream out, PrintStream err) {
        OperatorCommandLine.Arguments parsed = OperatorCommandLine.Arguments.parse(args, "portals");
        List<String> words = parsed.words();
        String reason = parsed.reason();
        boolean dryRun = parsed.dryRun();
        try {
            return switch (parsed.command()) {
                case "list" -> words.size() == 1 ? list(portals, out) : usage(err);
                case "remove" -> words.size() != 2 ? usage(err)
                        : dryRun ? dryRun(portals.count(words.get(1)), out)
                        : present(reason, err) ? removed(portals.remove(words.get(1), actor, reason.strip()), out) : USAGE;
                default -> usage(err);
            };
        } catch (StoredPortals.UnknownPortalException | StoredPortals.PortalStillConfiguredException
                 | IllegalArgumentException e) {
            err.println("portals: " + e.getMessage());
            return FAILED;
        }
    }

    private static int list(StoredPortals portals, PrintStream out) {
        String format = "%-40s %s%n";
        out.printf(format, "CLIENT_ID", "FILE ON THIS NODE");
        portals.registered().forEach(id -> out.printf(format, id, portals.configuredHere(id) ? "yes" : "no"));
        return OK;
    }

    private static int dryRun(StoredPortalData data, PrintStream out) {
        out.println("Dry run, nothing deleted. Removing portal " + data.clientId() + " would delete:");
        counts(data, out);
        return OK;
    }

    private static int removed(StoredPortalData data, PrintStream out) {
        out.println("Removed portal " + data.clientId() + " (audited as PORTAL_REMOVED). Deleted:");
        counts(data, out);
        return OK;
    }

    private static void counts(StoredPortalData data, PrintStream out) {
        out.println("  authorizations:    " + data.authorizations());
        out.println("  consent decisions: " + data.consentDecisions());
        out.println("  session portals:   " + data.sessionPortals());
        out.println("  server consents:   " + data.serverConsents());
        out.println("  registered client: " + data.registeredClient());
    }

    private static boolean present(@Nullable String reason, PrintStream err) {
        if (reason == null || reason.isBlank()) {
            err.println("portals: --reason is required (or --dry-run): the audit trail records why a portal was removed");
            return false;
        }
        return true;
    }

    private static int usage(PrintStream err) {
        err.println(HELP);
        return USAGE;
    }
}

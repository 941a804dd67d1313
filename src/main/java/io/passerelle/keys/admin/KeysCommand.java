package io.passerelle.keys.admin;

import io.passerelle.config.OperatorCommandLine;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.passerelle.keys.KeyChange;
import io.passerelle.keys.KeyRevocation;
import io.passerelle.keys.KeyRotation;
import io.passerelle.keys.KeyStatus;
import io.passerelle.keys.UnknownKeyException;
import org.jspecify.annotations.Nullable;

/**
 * The {@code keys} command line, apart from starting Spring (see {@link KeysCli}):
 * <pre>
 * keys list
 * keys rotate --reason "yearly drill"
 * keys revoke &lt;kid&gt; --reason "key found on a paste site"
 * </pre>
 * Arguments starting with {@code --} other than {@code --reason} are Spring properties and ignored here.
 */
final class KeysCommand {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final String HELP = """
            usage: keys list
                   keys rotate --reason <why>          end every active key's period now (successors sign once published long enough)
                   keys revoke <kid> --reason <why>    emergency: the key leaves the JWKS at once, a new key signs
            Spring properties may follow, e.g. --spring.datasource.url=... (the gateway's config/application.yml is read).""";

    private KeysCommand() {
    }

    /** Runs one command; returns the process exit status. */
    static int run(List<String> args, KeyRotation rotation, String actor, PrintStream out, PrintStream err) {
        OperatorCommandLine.Arguments parsed = OperatorCommandLine.Arguments.parse(args, "keys");
        List<String> words = parsed.words();
        String reason = parsed.reason();
        try {
            return switch (parsed.command()) {
                case "list" -> words.size() == 1 ? list(rotation, out) : usage(err);
                case "rotate" -> words.size() != 1 ? usage(err)
                        : present(reason, err) ? changes(rotation.rotateNow(actor, reason), out) : USAGE;
                case "revoke" -> words.size() != 2 ? usage(err)
                        : present(reason, err) ? revoked(rotation.revoke(words.get(1), actor, reason), out) : USAGE;
                default -> usage(err);
            };
        } catch (UnknownKeyException | IllegalArgumentException | IllegalStateException e) {
            err.println("keys: " + e.getMessage());
            return FAILED;
        }
    }

    private static int list(KeyRotation rotation, PrintStream out) {
        String format = "%-24s %-13s %-8s %-20s %-20s %-28s %-20s%n";
        out.printf(format, "KID", "ALG", "STATE", "CREATED", "ACTIVATED", "NEXT EVENT", "RETIRED/REVOKED");
        for (KeyStatus key : rotation.list()) {
            out.printf(format, key.kid(), key.alg(), key.state(), date(key.createdAt()), date(key.activatedAt()),
                    nextEvent(key), date(key.retiredAt()));
        }
        return OK;
    }

    /** What the schedule does to the key next, and when. */
    private static String nextEvent(KeyStatus key) {
        if (key.activatesAt() != null) {
            return "signs " + date(key.activatesAt());
        }
        if (key.rotatesAt() != null) {
            return "rotates " + date(key.rotatesAt());
        }
        return key.removeAt() != null ? "removed " + date(key.removeAt()) : "-";
    }

    private static int changes(List<KeyChange> changes, PrintStream out) {
        if (changes.isEmpty()) {
            out.println("Nothing changed.");
        }
        changes.forEach(change -> out.println(change.action().name().toLowerCase(Locale.ROOT) + " " + change.alg()
                + " " + change.kid()));
        return OK;
    }

    private static int revoked(KeyRevocation revocation, PrintStream out) {
        if (!revocation.changed()) {
            out.println(revocation.kid() + " was already revoked; nothing changed.");
            return OK;
        }
        changes(revocation.changes(), out);
        out.println(revocation.alg() + " now signs with " + revocation.activeKid());
        return OK;
    }

    private static boolean present(@Nullable String reason, PrintStream err) {
        if (reason == null || reason.isBlank()) {
            err.println("keys: --reason is required: the audit trail records why keys changed");
            return false;
        }
        return true;
    }

    private static int usage(PrintStream err) {
        err.println(HELP);
        return USAGE;
    }

    private static String date(@Nullable Instant instant) {
        return instant == null ? "-"
                : instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString().replace("T", " ").replace("Z", "");
    }
}

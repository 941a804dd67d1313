package io.passerelle.keys;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A key ring that cannot be opened (a wrong, missing or malformed master key, a damaged key row) stops the
 * start with a short "APPLICATION FAILED TO START" report, like an invalid configuration file, instead of
 * 150 lines of bean-creation stack trace around the one sentence that matters (issue 13). The message
 * names the property or file to fix and never contains key material. Registered in
 * {@code META-INF/spring.factories}.
 */
public final class KeyRingFailureAnalyzer extends AbstractFailureAnalyzer<KeyRingStartupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, KeyRingStartupException cause) {
        String reason = cause.getMessage();
        // Every cause is thrown before anything is written; said once, whether or not the reason says it.
        String description = "Passerelle did not start because its signing keys cannot be opened.\n\n"
                + "    Reason: " + reason
                + (reason != null && reason.contains("Nothing was changed") ? "" : "\n\n    Nothing in the database was changed.");
        String action = "Set the master key the keys were stored with (passerelle.keys.master-key, from the "
                + "environment variable PASSERELLE_KEYS_MASTER_KEY, or the file named by "
                + "passerelle.keys.master-key-file), or fix what the reason names, and start Passerelle again.";
        return new FailureAnalysis(description, action, cause);
    }
}

package io.passerelle.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an invalid operator file into a short start-up report (file, field, reason) instead of a
 * stack trace buried in bean-creation errors. Registered in {@code META-INF/spring.factories}.
 */
public final class ConfigFileFailureAnalyzer extends AbstractFailureAnalyzer<ConfigFileException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigFileException cause) {
        StringBuilder description = new StringBuilder("Passerelle did not start because a configuration file is invalid.\n\n")
                .append("    File:   ").append(cause.file()).append('\n');
        if (!cause.field().isEmpty()) {
            description.append("    Field:  ").append(cause.field()).append('\n');
        }
        description.append("    Reason: ").append(cause.reason());
        String what = cause.field().isEmpty() ? "" : "the field '" + cause.field() + "' in ";
        String action = "Fix " + what + cause.file() + " and start Passerelle again.";
        return new FailureAnalysis(description.toString(), action, cause);
    }
}

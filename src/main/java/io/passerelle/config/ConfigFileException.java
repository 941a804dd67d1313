package io.passerelle.config;

import java.util.Objects;

/**
 * An operator configuration file is invalid. Carries the file (as the operator would type it),
 * the field path inside it ({@code redirect_uris[1]}, {@code authentication.jwks_uri}, or empty
 * when the whole file is at fault) and the reason, so the start-up failure tells the operator
 * exactly what to fix without a stack trace.
 */
public final class ConfigFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final String field;
    private final String reason;

    public ConfigFileException(String file, String field, String reason) {
        this(file, field, reason, null);
    }

    public ConfigFileException(String file, String field, String reason, Throwable cause) {
        super(format(file, field, reason), cause);
        this.file = Objects.requireNonNull(file, "file");
        this.field = field == null ? "" : field;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The file as given (for example {@code config/clients/city.yml}), not made absolute. */
    public String file() {
        return file;
    }

    /** The field path inside the file; empty when the problem concerns the whole file. */
    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }

    private static String format(String file, String field, String reason) {
        return field == null || field.isEmpty()
                ? file + ": " + reason
                : file + ": " + field + ": " + reason;
    }
}

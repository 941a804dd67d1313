package io.passerelle.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One audit event: who did what, when, for which portal, connector and citizen, and why.
 *
 * <p>{@code citizenId} is Passerelle's internal citizen identifier, never a national number or an
 * upstream subject in clear. As a second line of defence every free-text value is masked where it
 * contains 11 consecutive digits (the shape of a national register number) or something token-shaped
 * (a long base64url run), so a careless caller cannot write one into the trail.
 */
public record AuditEvent(AuditType type, Instant occurredAt, String actor, String clientId, String connectorId,
                         String citizenId, String reference, String reason, Map<String, String> details) {

    private static final Pattern NATIONAL_NUMBER = Pattern.compile("(?<!\\d)\\d{11}(?!\\d)");
    /** A JWT (its header always starts "eyJ"), or a run as long as a 256-bit random token (43 base64url). */
    private static final Pattern TOKEN_LIKE = Pattern.compile(
            "eyJ[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]*){1,4}|[A-Za-z0-9_\\-]{43,}");

    public AuditEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        actor = actor == null || actor.isBlank() ? "system" : mask(actor);
        reason = mask(reason);
        details = details == null ? Map.of() : masked(details);
    }

    public static Builder of(AuditType type) {
        return new Builder(type);
    }

    static String mask(String value) {
        if (value == null) {
            return null;
        }
        String masked = NATIONAL_NUMBER.matcher(value).replaceAll("[masked]");
        return TOKEN_LIKE.matcher(masked).replaceAll("[masked]");
    }

    private static Map<String, String> masked(Map<String, String> details) {
        Map<String, String> copy = new TreeMap<>();
        details.forEach((k, v) -> copy.put(k, mask(v)));
        return Map.copyOf(copy);
    }

    /** Fluent construction; {@link AuditLog#record(Builder)} stamps the time from the injected clock. */
    public static final class Builder {
        private final AuditType type;
        private String actor;
        private String clientId;
        private String connectorId;
        private String citizenId;
        private String reference;
        private String reason;
        private final Map<String, String> details = new TreeMap<>();

        private Builder(AuditType type) {
            this.type = type;
        }

        public Builder actor(String actor) {
            this.actor = actor;
            return this;
        }

        public Builder client(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder connector(String connectorId) {
            this.connectorId = connectorId;
            return this;
        }

        public Builder citizen(String citizenId) {
            this.citizenId = citizenId;
            return this;
        }

        public Builder reference(String reference) {
            this.reference = reference;
            return this;
        }

        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        public Builder detail(String key, String value) {
            if (value != null) {
                this.details.put(key, value);
            }
            return this;
        }

        public AuditEvent at(Instant when) {
            return new AuditEvent(type, when, actor, clientId, connectorId, citizenId, reference, reason, details);
        }
    }
}

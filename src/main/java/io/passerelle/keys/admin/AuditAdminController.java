package io.passerelle.keys.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.ReferenceCode;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit trail for security teams and the helpdesk, on the admin API (same authentication as the key
 * administration, described in {@link AdminOpenApi}): events since a moment, page by page, or every event
 * of the reference code a citizen read on an error page. Events hold no national number and no token
 * value (the audit package masks them), so the trail can be read without opening any citizen's data.
 */
@RestController
public final class AuditAdminController {

    static final String PATH = "/admin/audit";
    private static final int MAX_LIMIT = 1000;
    private static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

    private final AuditLog audit;
    private final Clock clock;

    public AuditAdminController(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /** One event as the API shows it. */
    public record Entry(String type, Instant occurredAt, String actor, @Nullable String clientId,
                        @Nullable String connectorId, @Nullable String citizenId, @Nullable String reference,
                        @Nullable String reason, Map<String, String> details) {
        static Entry of(AuditEvent e) {
            return new Entry(e.type().name(), e.occurredAt(), e.actor(), e.clientId(), e.connectorId(), e.citizenId(),
                    e.reference(), e.reason(), e.details());
        }
    }

    /** A page of events, oldest first; {@code next} is the {@code since} of the following page, null at the end. */
    public record Page(List<Entry> events, @Nullable Instant next) {
    }

    @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    Page events(@RequestParam(required = false) @Nullable String since,
                @RequestParam(required = false) @Nullable Integer limit,
                @RequestParam(required = false) @Nullable String reference) {
        if (reference != null) {
            if (since != null || limit != null) {
                throw new IllegalArgumentException("reference stands alone: it is not combined with since or limit");
            }
            if (!ReferenceCode.isWellFormed(reference)) {
                throw new IllegalArgumentException("reference is a code such as PSL-7PNWWXRA, as the citizen's page shows it");
            }
            return new Page(audit.byReference(reference).stream().map(Entry::of).toList(), null);
        }
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw new IllegalArgumentException("limit is between 1 and " + MAX_LIMIT);
        }
        Instant from;
        try {
            from = since == null ? clock.instant().minus(DEFAULT_WINDOW) : Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("since is an ISO-8601 instant such as 2026-11-22T10:00:00Z");
        }
        return page(audit.since(from, size + 1), size);
    }

    /**
     * Cuts a page where the next one can start without losing or repeating an event: events of the last
     * instant move whole to the next page (which starts at that instant, inclusive), unless a single
     * instant holds more than a page, which is then cut at the limit and the next page starts just after it.
     */
    static Page page(List<AuditEvent> fetched, int size) {
        if (fetched.size() <= size) {
            return new Page(fetched.stream().map(Entry::of).toList(), null);
        }
        Instant boundary = fetched.get(size).occurredAt();
        List<Entry> events = new ArrayList<>();
        for (AuditEvent event : fetched.subList(0, size)) {
            if (event.occurredAt().isBefore(boundary)) {
                events.add(Entry.of(event));
            }
        }
        if (events.isEmpty()) {
            return new Page(fetched.subList(0, size).stream().map(Entry::of).toList(), boundary.plusNanos(1000));
        }
        return new Page(events, boundary);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", "invalid_request", "error_description", e.getMessage()));
    }
}

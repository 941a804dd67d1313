package io.passerelle.audit;

import java.time.Instant;
import java.util.List;

/** The append-only audit trail: no way to change an event; events leave only by the retention purge ({@link JdbcAuditLog#expiredRows}). */
public interface AuditLog {

    /** Records the event now (by the injected clock) and returns it. */
    AuditEvent record(AuditEvent.Builder event);

    /** Events from {@code from} (inclusive), oldest first, at most {@code limit}. */
    List<AuditEvent> since(Instant from, int limit);

    /** The events that carry an error reference code (what a citizen read on an error page). */
    List<AuditEvent> byReference(String reference);
}

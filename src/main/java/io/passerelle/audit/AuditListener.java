package io.passerelle.audit;

/**
 * Told of every audit event once it is recorded: how the counters of the {@code metrics} package follow
 * the audit trail, so that a sign-in, a failure and its reason are counted exactly where they are audited.
 * Called on the recording thread; must be quick and must not throw (a listener that throws is logged and
 * the event stays recorded).
 */
@FunctionalInterface
public interface AuditListener {

    void recorded(AuditEvent event);
}

package io.passerelle.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditListener;
import io.passerelle.portal.PortalConfig;

/**
 * The counters operators watch, derived in one place from the audit events that every step already
 * emits: a sign-in, a failure and its reason are counted exactly where, and with what, they are audited.
 * Names as Prometheus shows them (the registry adds {@code _total}):
 * <ul>
 *   <li>{@code passerelle_signins_started_total{connector,portal,loa}}: a citizen chose a key (loa asked)</li>
 *   <li>{@code passerelle_signins_completed_total{connector,portal,loa}}: the key authenticated them (loa achieved)</li>
 *   <li>{@code passerelle_signins_failed_total{connector,portal,reason}}: the audit reason's code</li>
 *   <li>{@code passerelle_codes_issued_total{portal}}, {@code passerelle_tokens_issued_total{portal,grant_type}}</li>
 *   <li>{@code passerelle_consent_decisions_total{portal,decision}}: granted, refused, withdrawn</li>
 *   <li>{@code passerelle_backchannel_logouts_total{portal,outcome}}: delivered, failed</li>
 *   <li>{@code passerelle_audit_events_total{type}}: every event, by type</li>
 * </ul>
 */
final class AuditMetrics implements AuditListener {

    private final MeterRegistry meters;
    private final Labels labels;

    AuditMetrics(MeterRegistry meters, Labels labels) {
        this.meters = meters;
        this.labels = labels;
    }

    /**
     * The per-portal series at zero from the start, so that a rate or an alert on them has a value before
     * the first event (Prometheus cannot tell "none yet" from "not exported").
     */
    void registerPortal(PortalConfig portal) {
        String id = portal.clientId();
        count("passerelle.codes.issued", "portal", id).increment(0);
        for (String grant : new String[] {"authorization_code", "refresh_token"}) {
            count("passerelle.tokens.issued", "portal", id, "grant_type", grant).increment(0);
        }
        for (String decision : new String[] {"granted", "refused", "withdrawn"}) {
            count("passerelle.consent.decisions", "portal", id, "decision", decision).increment(0);
        }
        if (portal.backchannelLogoutUri() != null) {
            count("passerelle.backchannel.logouts", "portal", id, "outcome", "delivered").increment(0);
            count("passerelle.backchannel.logouts", "portal", id, "outcome", "failed").increment(0);
        }
    }

    @Override
    public void recorded(AuditEvent event) {
        count("passerelle.audit.events", "type", event.type().name()).increment();
        String portal = labels.portal(event.clientId());
        switch (event.type()) {
            case LOGIN_STARTED -> count("passerelle.signins.started", "connector", labels.connector(event.connectorId()),
                    "portal", portal, "loa", Labels.loa(event.details().get("required_loa"))).increment();
            case UPSTREAM_AUTHENTICATED -> count("passerelle.signins.completed",
                    "connector", labels.connector(event.connectorId()), "portal", portal,
                    "loa", Labels.loa(event.details().get("loa"))).increment();
            case LOGIN_FAILED -> count("passerelle.signins.failed", "connector", labels.connector(event.connectorId()),
                    "portal", portal, "reason", Labels.reason(event.reason())).increment();
            case CODE_ISSUED -> count("passerelle.codes.issued", "portal", portal).increment();
            case TOKENS_ISSUED -> count("passerelle.tokens.issued", "portal", portal,
                    "grant_type", Labels.grantType(event.details().get("grant_type"))).increment();
            case CONSENT_CHANGED -> count("passerelle.consent.decisions", "portal", portal,
                    "decision", Labels.decision(event.details().get("decision"))).increment();
            case LOGOUT_NOTIFIED -> count("passerelle.backchannel.logouts", "portal", portal, "outcome", "delivered")
                    .increment();
            case LOGOUT_NOTIFICATION_FAILED -> count("passerelle.backchannel.logouts", "portal", portal,
                    "outcome", "failed").increment();
            default -> {
                // Counted by type above only: key, portal and throttle events are rare and audited in full.
            }
        }
    }

    private Counter count(String name, String... tags) {
        return Counter.builder(name).tags(tags).register(meters);
    }
}

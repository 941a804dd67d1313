package io.passerelle.consent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;
import io.passerelle.identity.AttributeSeal;
import io.passerelle.identity.CitizenAuthentication;
import io.passerelle.connector.Loa;
import io.passerelle.portal.PortalConfig;

/**
 * What the citizen decides and what a portal therefore receives: records answers from the consent
 * page, withdrawals from the account page (ending the portal's tokens at once), and computes the
 * claims a token may carry. Every decision is audited with claim names only, never values.
 */
public final class ConsentDecisions {

    private final ConsentLedger ledger;
    private final PortalGrants grants;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration lifetime;
    private final AttributeSeal seal;

    public ConsentDecisions(ConsentLedger ledger, PortalGrants grants, AuditLog audit, Clock clock, Duration lifetime,
                            AttributeSeal seal) {
        this.seal = seal;
        this.ledger = ledger;
        this.grants = grants;
        this.audit = audit;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /** The citizen accepted, sharing {@code selected} of the requested claims (anything else asked is refused). */
    public Consent grant(ConsentRequest request, Collection<String> selected) {
        Set<String> granted = new LinkedHashSet<>();
        Set<String> refused = new LinkedHashSet<>();
        for (String claim : request.claims()) {
            String decided = ClaimRelease.decidedWith(claim);
            if (!decided.equals(claim) && request.claims().contains(decided)) {
                continue; // a qualifier goes with the claim it qualifies
            }
            (selected.contains(decided) ? granted : refused).add(decided);
        }
        Instant now = clock.instant();
        Consent consent = new Consent(request.citizenId(), request.clientId(), granted, refused, now, now.plus(lifetime));
        ledger.record(consent);
        audit.record(AuditEvent.of(AuditType.CONSENT_CHANGED).actor("citizen").client(request.clientId())
                .citizen(request.citizenId()).detail("decision", "granted")
                .detail("granted", String.join(" ", granted)).detail("refused", String.join(" ", refused)));
        return consent;
    }

    /** The citizen refused the whole request: nothing is remembered, the portal gets {@code access_denied}. */
    public void refuse(ConsentRequest request) {
        audit.record(AuditEvent.of(AuditType.CONSENT_CHANGED).actor("citizen").client(request.clientId())
                .citizen(request.citizenId()).detail("decision", "refused")
                .detail("refused", String.join(" ", request.claims())));
    }

    /** The citizen withdrew their consent: the decision is gone and so is every token the portal holds. */
    public boolean withdraw(String citizenId, String clientId) {
        boolean withdrawn = ledger.withdraw(citizenId, clientId);
        int ended = grants.revokeAll(clientId, citizenId);
        if (withdrawn || ended > 0) {
            audit.record(AuditEvent.of(AuditType.CONSENT_CHANGED).actor("citizen").client(clientId).citizen(citizenId)
                    .detail("decision", "withdrawn"));
            audit.record(AuditEvent.of(AuditType.GRANT_REVOKED).actor("citizen").client(clientId).citizen(citizenId)
                    .reason("consent withdrawn").detail("authorizations", Integer.toString(ended)));
        }
        return withdrawn;
    }

    /**
     * The claims a token for this portal carries to {@code destination} (ID token or userinfo), under
     * Passerelle's names: the scope allowlist and the single claims the request's {@code claims} asked
     * for that destination ({@link ClaimRelease}), then, unless the portal is consent-exempt, only what
     * the citizen granted. A withdrawn decision ends the portal's tokens, so a refresh never finds a
     * wider grant than the citizen gave; an expired one still describes what this grant was given for.
     */
    public Map<String, Object> releasable(PortalConfig portal, CitizenAuthentication citizen, Collection<String> scopes,
                                          ClaimsRequest claims, ClaimsRequest.Destination destination) {
        Set<String> asked = claims.askedFor(destination);
        if (!ClaimRelease.releasesAny(portal, scopes, asked)) {
            return Map.of();
        }
        Map<String, Object> released = new LinkedHashMap<>(ClaimRelease.release(portal, scopes, asked, citizen.claims(seal)));
        if (!portal.consentExempt() && !released.isEmpty()) {
            Optional<Consent> consent = ledger.find(citizen.citizenId(), portal.clientId());
            released.keySet().removeIf(claim -> consent.isEmpty() || !consent.get().grants(claim));
        }
        return released;
    }

    /** Notes for the citizen's account page that the portal received these claims. */
    public void received(PortalConfig portal, CitizenAuthentication citizen, Collection<String> claims) {
        ledger.released(new DataRelease(citizen.citizenId(), portal.clientId(), List.copyOf(claims),
                Loa.fromUri(citizen.acr()).configName(), clock.instant()));
    }

    /** The citizen's verified attributes (with the derived {@code name}), for the consent page to show their actual values. */
    public Map<String, Object> verified(CitizenAuthentication citizen) {
        return ClaimRelease.withDerived(citizen.claims(seal));
    }

    public List<Consent> decisions(String citizenId) {
        return ledger.decisions(citizenId);
    }

    public List<DataRelease> releases(String citizenId, int limit) {
        return ledger.releases(citizenId, limit);
    }
}

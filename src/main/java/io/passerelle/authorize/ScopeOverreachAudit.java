package io.passerelle.authorize;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;

import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2PushedAuthorizationRequestAuthenticationToken;

/**
 * A request for scopes the portal's file does not allow is refused by the next step
 * ({@code invalid_scope}); operators see it in the audit trail ({@code SCOPE_LIMITED}, policy refuse).
 * Portals with {@code scope_policy: trim} never get here with extra scopes: their request was trimmed
 * (and audited) before the server read it.
 */
public final class ScopeOverreachAudit implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    private final AuditLog audit;

    public ScopeOverreachAudit(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        Set<String> requested = switch (context.getAuthentication()) {
            case OAuth2AuthorizationCodeRequestAuthenticationToken request -> request.getScopes();
            case OAuth2PushedAuthorizationRequestAuthenticationToken pushed -> pushed.getScopes();
            default -> Set.of();
        };
        List<String> extra = requested.stream()
                .filter(scope -> !context.getRegisteredClient().getScopes().contains(scope)).sorted().toList();
        if (!extra.isEmpty()) {
            audit.record(AuditEvent.of(AuditType.SCOPE_LIMITED).actor("portal")
                    .client(context.getRegisteredClient().getClientId()).detail("policy", "refuse")
                    .detail("scopes", String.join(" ", extra)));
        }
    }
}

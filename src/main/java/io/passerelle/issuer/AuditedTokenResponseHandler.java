package io.passerelle.issuer;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/** Writes the token response as the server does, and records that tokens went to which portal (no token value). */
public final class AuditedTokenResponseHandler implements AuthenticationSuccessHandler {

    private final AuthenticationSuccessHandler delegate = new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
    private final AuditLog audit;

    public AuditedTokenResponseHandler(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                                        Authentication authentication) throws IOException, ServletException {
        delegate.onAuthenticationSuccess(request, response, authentication);
        if (authentication instanceof OAuth2AccessTokenAuthenticationToken tokens) {
            audit.record(AuditEvent.of(AuditType.TOKENS_ISSUED).actor("portal")
                    .client(tokens.getRegisteredClient().getClientId())
                    .detail("grant_type", request.getParameter("grant_type"))
                    .detail("refresh_token", tokens.getRefreshToken() != null ? "issued" : "none"));
        }
    }
}

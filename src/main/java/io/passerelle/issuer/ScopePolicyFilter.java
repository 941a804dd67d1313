package io.passerelle.issuer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;
import io.passerelle.portal.PortalConfig;

import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriUtils;

/**
 * A portal asking for more scopes than its file allows (its declared purpose): with
 * {@code scope_policy: refuse} (the default) the request is refused with {@code invalid_scope}
 * (RFC 6749 4.1.2.1); with {@code trim} the extra scopes are dropped before the server reads the
 * request. Either way the overreach is audited, so a security team sees which portal asks for what.
 */
public final class ScopePolicyFilter extends OncePerRequestFilter {

    private final Function<String, Optional<PortalConfig>> portals;
    private final AuditLog audit;

    public ScopePolicyFilter(Function<String, Optional<PortalConfig>> portals, AuditLog audit) {
        this.portals = portals;
        this.audit = audit;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !path.equals("/oauth2/authorize") && !path.equals("/oauth2/par");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String[] scope = request.getParameterValues("scope");
        String[] clientId = request.getParameterValues("client_id");
        Optional<PortalConfig> portal = clientId == null || clientId.length != 1 ? Optional.empty()
                : portals.apply(clientId[0]);
        if (scope == null || scope.length != 1 || portal.isEmpty()
                || portal.get().scopePolicy() != PortalConfig.ScopePolicy.TRIM) {
            chain.doFilter(request, response); // repeated or unknown: the server answers as usual
            return;
        }
        List<String> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String requested : scope[0].trim().split("\\s+")) {
            (portal.get().scopes().contains(requested) ? kept : dropped).add(requested);
        }
        if (dropped.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        audit.record(AuditEvent.of(AuditType.SCOPE_LIMITED).actor("portal").client(clientId[0])
                .detail("policy", "trim").detail("scopes", String.join(" ", dropped)));
        Map<String, String[]> parameters = new LinkedHashMap<>(request.getParameterMap());
        parameters.put("scope", new String[] {String.join(" ", kept)});
        String query = request.getQueryString() == null ? null : query(parameters, request.getQueryString());
        chain.doFilter(new ReplacedParametersRequest(request, parameters, query), response);
    }

    /** The query string with the trimmed scope (the server reads a GET request's parameters from it). */
    private static String query(Map<String, String[]> parameters, String original) {
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            if (!Arrays.stream(original.split("&")).anyMatch(pair -> pair.split("=", 2)[0].equals(
                    UriUtils.encode(parameter.getKey(), StandardCharsets.UTF_8)))) {
                continue; // a form parameter of a POST: not part of the query
            }
            for (String value : parameter.getValue()) {
                query.append(query.isEmpty() ? "" : "&").append(UriUtils.encode(parameter.getKey(), StandardCharsets.UTF_8))
                        .append('=').append(UriUtils.encode(value, StandardCharsets.UTF_8));
            }
        }
        return query.toString();
    }
}

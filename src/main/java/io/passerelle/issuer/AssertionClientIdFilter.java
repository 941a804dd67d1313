package io.passerelle.issuer;

import java.io.IOException;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.nimbusds.jwt.JWTParser;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * RFC 7523 2.2 makes {@code client_id} optional next to a {@code private_key_jwt} assertion, and common
 * portal libraries (Nimbus among them) leave it out; the server, however, needs it to find the client.
 * When it is absent, it is taken from the assertion's {@code sub}. That is safe: nothing is trusted
 * from it before the assertion's signature is verified with the keys of that very client, and the
 * server then also requires {@code iss} = {@code sub} = client_id.
 */
public final class AssertionClientIdFilter extends OncePerRequestFilter {

    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String assertion = request.getParameter("client_assertion");
        if (request.getParameter("client_id") != null || assertion == null
                || !JWT_BEARER.equals(request.getParameter("client_assertion_type"))) {
            chain.doFilter(request, response);
            return;
        }
        String subject;
        try {
            subject = JWTParser.parse(assertion).getJWTClaimsSet().getSubject();
        } catch (ParseException malformed) {
            subject = null; // left to the server, which answers invalid_request / invalid_client
        }
        chain.doFilter(subject == null ? request : withClientId(request, subject), response);
    }

    private static HttpServletRequest withClientId(HttpServletRequest request, String clientId) {
        Map<String, String[]> parameters = new LinkedHashMap<>(request.getParameterMap());
        parameters.put("client_id", new String[] {clientId});
        return new ReplacedParametersRequest(request, parameters, null);
    }
}

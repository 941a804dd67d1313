package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;
import io.passerelle.audit.JdbcAuditLog;
import io.passerelle.connector.Loa;
import io.passerelle.portal.PortalConfig;
import io.passerelle.testsupport.MigratedDatabase;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** {@code scope_policy: trim} drops what a portal may not ask for, in the query and in a pushed request's body. */
class ScopePolicyFilterTest {

    private final AuditLog audit = new JdbcAuditLog(JdbcClient.create(MigratedDatabase.h2()), Clock.systemUTC());
    private final ScopePolicyFilter filter = new ScopePolicyFilter(
            id -> Optional.of(portal(id, id.startsWith("trim") ? PortalConfig.ScopePolicy.TRIM : PortalConfig.ScopePolicy.REFUSE)),
            audit);

    private static PortalConfig portal(String id, PortalConfig.ScopePolicy policy) {
        Map<String, String> names = Map.of("en", "P", "fr", "P", "nl", "P", "de", "P");
        return new PortalConfig(id, names, List.of(URI.create("https://p.example/cb")), List.of(),
                PortalConfig.AuthMethod.NONE, null, null, null, null, List.of("openid", "profile"), names, null, "p",
                PortalConfig.SubjectType.PAIRWISE, Loa.SUBSTANTIAL, "RS256", false, policy, Map.of(), null, true, List.of(), null, null, "p.yml");
    }

    private HttpServletRequest filtered(MockHttpServletRequest request) throws Exception {
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, new MockHttpServletResponse(), chain);
        return (HttpServletRequest) chain.getRequest();
    }

    @Test
    void trimsTheQueryOfAnAuthorizationRequestAndAuditsIt() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/oauth2/authorize");
        request.setQueryString("client_id=trim-portal&scope=openid%20email%20profile&state=s");
        request.setParameter("client_id", "trim-portal");
        request.setParameter("scope", "openid email profile");
        request.setParameter("state", "s");
        HttpServletRequest seen = filtered(request);
        assertThat(seen.getParameter("scope")).isEqualTo("openid profile");
        assertThat(seen.getQueryString()).contains("scope=openid%20profile").contains("state=s").doesNotContain("email");
        assertThat(audit.since(Instant.now().minusSeconds(60), 10)).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(AuditType.SCOPE_LIMITED);
            assertThat(event.details()).containsEntry("policy", "trim").containsEntry("scopes", "email");
        });
    }

    @Test
    void trimsAPushedRequestsBody() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/oauth2/par");
        request.setParameter("client_id", "trim-portal");
        request.setParameter("scope", "openid national_number");
        HttpServletRequest seen = filtered(request);
        assertThat(seen.getParameter("scope")).isEqualTo("openid");
        assertThat(seen.getQueryString()).isNull();
    }

    @Test
    void leavesRefusingPortalsAndOtherEndpointsToTheServer() throws Exception {
        MockHttpServletRequest refuse = new MockHttpServletRequest("GET", "/oauth2/authorize");
        refuse.setParameter("client_id", "refuse-portal");
        refuse.setParameter("scope", "openid email");
        assertThat(filtered(refuse).getParameter("scope")).isEqualTo("openid email");
        MockHttpServletRequest token = new MockHttpServletRequest("POST", "/oauth2/token");
        token.setParameter("client_id", "trim-portal");
        token.setParameter("scope", "openid email");
        assertThat(filtered(token).getParameter("scope")).isEqualTo("openid email");
        assertThat(audit.since(Instant.now().minusSeconds(60), 10)).isEmpty();
    }
}

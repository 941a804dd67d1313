package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The audit trail on the admin API, as a security team's tool and a helpdesk read it: page by page
 * (nothing lost or repeated), or by the reference code a citizen read on an error page.
 */
class AdminAuditApiTest extends AbstractIssuerIntegrationTest {

    private static final ECKey ADMIN = adminKey();

    @Autowired
    AuditLog audit;

    @DynamicPropertySource
    static void admin(DynamicPropertyRegistry registry) {
        registry.add("passerelle.admin.jwks", () -> new JWKSet(ADMIN.toPublicJWK()).toString(true));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAuditTrailIsReadPageByPageOrByTheReferenceACitizenRead() throws Exception {
        Instant started = Instant.now().minusMillis(1);
        assertThat(KeyRotationIntegrationTest.adminCall("GET", "/admin/audit", null, null).statusCode()).isEqualTo(401);
        // A citizen comes back with a state nobody issued: the error page gives a reference code.
        HttpResponse<String> failed = get(URI.create(FIXTURE.issuer + "/broker/callback/test-high?state=forged"));
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("PSL-[A-Z0-9]{8}").matcher(failed.body());
        assertThat(code.find()).as("reference on the page: %s", failed.body()).isTrue();
        admin("POST", "/admin/keys/rotate", Map.of("reason", "paging drill"));

        Map<String, Object> byReference = admin("GET", "/admin/audit?reference=" + code.group(), null);
        assertThat((List<Map<String, Object>>) byReference.get("events")).singleElement().satisfies(event -> {
            assertThat(event).containsEntry("type", "LOGIN_FAILED").containsEntry("reference", code.group());
            assertThat((String) event.get("reason")).contains("expired");
        });

        // Page by page, two events at a time: every event once, in order, until next is null.
        List<Map<String, Object>> all = new java.util.ArrayList<>();
        String since = started.toString();
        int pages = 0;
        for (; since != null; pages++) {
            assertThat(pages).as("paging ends").isLessThan(200);
            Map<String, Object> page = admin("GET", "/admin/audit?limit=2&since=" + since, null);
            List<Map<String, Object>> events = (List<Map<String, Object>>) page.get("events");
            assertThat(events.size()).isLessThanOrEqualTo(2);
            all.addAll(events);
            since = (String) page.get("next");
        }
        List<AuditEvent> stored = audit.since(started, 10_000);
        assertThat(all).extracting(event -> event.get("type") + " " + event.get("occurredAt") + " " + event.get("reason"))
                .containsExactlyElementsOf(stored.stream().map(e -> e.type() + " " + e.occurredAt() + " " + e.reason()).toList());
        assertThat(all).filteredOn(event -> "rotation-requested".equals(((Map<String, Object>) event.get("details")).get("action")))
                .extracting(event -> event.get("reason")).containsOnly("paging drill");
        assertThat(pages).as("a rotation and a failed login fill more than one page of two").isGreaterThan(2);

        String bearer = KeyRotationIntegrationTest.adminAssertion(ADMIN, FIXTURE.issuer + "/admin", Instant.now().plusSeconds(60));
        HttpResponse<String> badLimit = KeyRotationIntegrationTest.adminCall("GET", "/admin/audit?limit=5000", null, bearer);
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(badLimit.body()).contains("invalid_request", "limit");
        assertThat(KeyRotationIntegrationTest.adminCall("GET", "/admin/audit?since=yesterday", null,
                KeyRotationIntegrationTest.adminAssertion(ADMIN, FIXTURE.issuer + "/admin", Instant.now().plusSeconds(60))).statusCode()).isEqualTo(400);
        assertThat(KeyRotationIntegrationTest.adminCall("GET", "/admin/audit?reference=%27%20OR%201%3D1", null,
                KeyRotationIntegrationTest.adminAssertion(ADMIN, FIXTURE.issuer + "/admin", Instant.now().plusSeconds(60))).statusCode()).isEqualTo(400);
    }

    /** A fresh signed assertion per call, as the security team's tool makes them. */
    private Map<String, Object> admin(String method, String path, Map<String, Object> body) throws Exception {
        HttpResponse<String> response = KeyRotationIntegrationTest.adminCall(method, path,
                body == null ? null : JSONObjectUtils.toJSONString(body),
                KeyRotationIntegrationTest.adminAssertion(ADMIN, FIXTURE.issuer + "/admin", Instant.now().plusSeconds(60)));
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(200);
        return JSONObjectUtils.parse(response.body());
    }

    private static ECKey adminKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("helpdesk-1").algorithm(JWSAlgorithm.ES256).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

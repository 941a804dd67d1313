package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 6, end to end: while citizens sign in on three threads, the security team rotates every key through
 * the admin API and then revokes the keys that just took over for the portal's ID tokens (RS256) and access
 * tokens (the issuer's choice, ES256 today). Two portals verify every token:
 * <ul>
 * <li>a strict one that honours the JWKS {@code Cache-Control: max-age} to the letter and never refetches on
 *     an unknown kid: it must never fail before the revocation (the new key was published early enough);</li>
 * <li>a Nimbus {@code JWKSourceBuilder} cache, as most portals are written, during the run and again once its
 *     cache has expired: exactly the revoked keys' tokens fail, and exactly those are inactive at
 *     introspection and refused at userinfo.</li>
 * </ul>
 * The JWKS cache lifetime is 2 s and the scheduler ticks every 500 ms, so the whole rotation takes seconds.
 */
class KeyRotationIntegrationTest extends AbstractIssuerIntegrationTest {

    private static final Duration CACHE = Duration.ofSeconds(2);
    private static final ECKey ADMIN = adminKey();

    @Autowired
    AuditLog audit;

    @DynamicPropertySource
    static void keyPolicy(DynamicPropertyRegistry registry) {
        registry.add("passerelle.keys.jwks-cache-lifetime", () -> CACHE.toSeconds() + "s");
        registry.add("passerelle.keys.scheduler-interval", () -> "500ms");
        registry.add("passerelle.admin.jwks", () -> new JWKSet(ADMIN.toPublicJWK()).toString(true));
    }

    /**
     * One token as issued. An ID token and the access token of the same response are recorded apart: the
     * server signs them one after the other, and a rotation or revocation may fall between the two.
     */
    private record Issued(boolean idToken, String value, String kid, Instant at, String failure) {
        static Issued of(boolean idToken, String value) throws java.text.ParseException {
            return new Issued(idToken, value, SignedJWT.parse(value).getHeader().getKeyID(), Instant.now(), null);
        }

        Issued failed(String why) {
            return new Issued(idToken, value, kid, at, why);
        }

        /** Never the token itself: a failing assertion prints this. */
        @Override
        public String toString() {
            return (idToken ? "ID token " : "access token ") + kid + "@" + at + (failure == null ? "" : " (" + failure + ")");
        }
    }

    @Test
    void loginsVerifyThroughARotationAndOnlyTheRevokedKeysTokensFail() throws Exception {
        URI jwks = op.getJWKSetURI();
        HttpResponse<String> published = HttpClient.newHttpClient().send(HttpRequest.newBuilder(jwks).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(published.headers().firstValue("Cache-Control")).contains("public, max-age=" + CACHE.toSeconds());
        StrictPortalCache strict = new StrictPortalCache(jwks);
        // A portal as most are written: Nimbus's caching JWK source, which also refetches on an unknown kid. Not
        // rate-limited: with the revoked keys' tokens checked hundreds of times a second, its limiter would also
        // refuse the refresh of an expired cache and fail good tokens, a property of the client, not the gateway.
        JWKSource<SecurityContext> nimbus = JWKSourceBuilder.<SecurityContext>create(jwks.toURL())
                .cache(CACHE.toMillis(), 500).refreshAheadCache(false).rateLimited(false).build();
        Instant started = Instant.now();

        List<Issued> issued = Collections.synchronizedList(new ArrayList<>());
        List<Issued> strictFailures = Collections.synchronizedList(new ArrayList<>());
        List<Issued> nimbusFailures = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService logins = Executors.newFixedThreadPool(3);
        List<Future<?>> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            threads.add(logins.submit(() -> {
                PortalClient portal = new PortalClient(FIXTURE).connect();
                while (running.get()) {
                    Grant grant = portal.codeFor(PortalFixture.CITY);
                    OIDCTokenResponse tokens = tokens(portal.exchange(grant.code(), grant.verifier()));
                    for (Issued token : List.of(Issued.of(true, tokens.getOIDCTokens().getIDToken().serialize()),
                            Issued.of(false, tokens.getOIDCTokens().getAccessToken().getValue()))) {
                        issued.add(token);
                        String strictly = why(() -> verify(token, strict));
                        if (strictly != null) {
                            strictFailures.add(token.failed(strictly));
                        }
                        String nimbusly = why(() -> verify(token, nimbus));
                        if (nimbusly != null) {
                            nimbusFailures.add(token.failed(nimbusly));
                        }
                    }
                }
                return null;
            }));
        }

        Thread.sleep(1500);
        // The algorithms that sign this portal's ID tokens and access tokens (the issuer chooses the latter).
        Set<String> algs = new TreeSet<>(List.of("RS256", alg(issued.stream().filter(t -> !t.idToken()).findFirst().orElseThrow())));
        Map<String, String> first = activeKids(algs);
        Map<String, Object> rotation = admin("POST", "/admin/keys/rotate", Map.of("reason", "yearly drill"));
        Map<String, String> rotated = new TreeMap<>();
        changes(rotation).stream().filter(c -> "published".equals(c.get("action")) && algs.contains((String) c.get("alg")))
                .forEach(c -> rotated.put((String) c.get("alg"), (String) c.get("kid")));
        assertThat(rotated).containsOnlyKeys(algs);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!rotated.equals(activeKids(algs)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(activeKids(algs)).as("the successors sign after their lead").isEqualTo(rotated);
        Thread.sleep(1500);
        Instant revocationStarted = Instant.now();
        Map<String, String> emergency = new TreeMap<>();
        for (String alg : algs) {
            Map<String, Object> revocation = admin("POST", "/admin/keys/revoke",
                    Map.of("kid", rotated.get(alg), "reason", "private key found on a paste site"));
            emergency.put(alg, (String) revocation.get("activeKid"));
        }
        Thread.sleep(1500);
        running.set(false);
        for (Future<?> thread : threads) {
            thread.get(30, TimeUnit.SECONDS);
        }
        logins.shutdown();

        Set<String> revoked = Set.copyOf(rotated.values());
        assertThat(issued).filteredOn(Issued::idToken).extracting(Issued::kid)
                .contains(first.get("RS256"), rotated.get("RS256"), emergency.get("RS256"));
        String accessAlg = alg(issued.stream().filter(t -> !t.idToken()).findFirst().orElseThrow());
        assertThat(issued).filteredOn(t -> !t.idToken()).extracting(Issued::kid)
                .contains(first.get(accessAlg), rotated.get(accessAlg), emergency.get(accessAlg));
        // The strict portal fails only on the revocation: the revoked keys' tokens once its cache renews, and the
        // emergency keys' until then (they could not be published ahead). Never for the rotation.
        assertThat(strictFailures).extracting(Issued::kid).allMatch(kid -> revoked.contains(kid) || emergency.containsValue(kid));
        assertThat(strictFailures).as("strict failures before the revocation at %s (first %s, rotated %s, emergency %s)",
                        revocationStarted, first, rotated, emergency)
                .noneMatch(token -> token.at().isBefore(revocationStarted.minusMillis(500)));
        // Nimbus refetches on an unknown kid: even the emergency keys, never published ahead, verify.
        assertThat(nimbusFailures).extracting(Issued::kid).allMatch(revoked::contains);
        assertThat(nimbusFailures).noneMatch(token -> token.at().isBefore(revocationStarted.minusMillis(500)));

        // After the run, once the portal's cached copy of the JWKS has expired, every token again.
        Thread.sleep(CACHE.plusMillis(500).toMillis());
        PortalClient checker = new PortalClient(FIXTURE).connect();
        for (Issued token : issued) {
            boolean bad = revoked.contains(token.kid());
            assertThat(verifies(() -> verify(token, nimbus))).as("%s", token).isEqualTo(!bad);
            if (!token.idToken()) {
                assertThat(checker.introspect(token.value()).isActive()).as("introspection of %s", token).isEqualTo(!bad);
            }
        }
        for (String kid : List.of(rotated.get(accessAlg), emergency.get(accessAlg), first.get(accessAlg))) {
            Issued token = firstAccess(issued, kid);
            UserInfoResponse userInfo = UserInfoResponse.parse(new UserInfoRequest(op.getUserInfoEndpointURI(),
                    new BearerAccessToken(token.value())).toHTTPRequest().send());
            assertThat(userInfo.indicatesSuccess()).as("userinfo with %s", token).isEqualTo(!revoked.contains(kid));
        }

        List<AuditEvent> events = audit.since(started, 10_000);
        String actor = "admin:passerelle-admin/" + ADMIN.getKeyID();
        assertThat(events).filteredOn(e -> e.type() == AuditType.KEY_REVOKED)
                .extracting(AuditEvent::actor, AuditEvent::reason, e -> e.details().get("kid"))
                .containsExactlyInAnyOrderElementsOf(revoked.stream()
                        .map(kid -> org.assertj.core.groups.Tuple.tuple(actor, "private key found on a paste site", kid)).toList());
        assertThat(events).filteredOn(e -> "rotation-requested".equals(e.details().get("action")))
                .extracting(AuditEvent::actor, AuditEvent::reason).containsOnly(org.assertj.core.groups.Tuple.tuple(actor, "yearly drill"));
        assertThat(events).filteredOn(e -> "activated".equals(e.details().get("action")) && revoked.contains(e.details().get("kid")))
                .hasSize(revoked.size()).extracting(AuditEvent::actor).containsOnly("scheduler");
    }

    @Test
    void theAdminApiIsClosedToAnythingButAFreshAssertionAndDescribesItself() throws Exception {
        String audience = FIXTURE.issuer + "/admin";
        assertThat(adminCall("GET", "/admin/keys", null, null).statusCode()).isEqualTo(401);
        assertThat(adminCall("GET", "/admin/keys", null, "not-a-jwt").statusCode()).isEqualTo(401);
        assertThat(adminCall("GET", "/admin/keys", null, adminAssertion(ADMIN, FIXTURE.issuer, Instant.now().plusSeconds(60)))
                .statusCode()).as("audience of the token endpoint, not the admin API").isEqualTo(401);
        assertThat(adminCall("GET", "/admin/keys", null, adminAssertion(ADMIN, audience, Instant.now().plusSeconds(3600)))
                .statusCode()).as("lives too long").isEqualTo(401);
        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID(ADMIN.getKeyID()).algorithm(JWSAlgorithm.ES256).generate();
        assertThat(adminCall("GET", "/admin/keys", null, adminAssertion(stranger, audience, Instant.now().plusSeconds(60)))
                .statusCode()).as("not a configured key").isEqualTo(401);
        String once = adminAssertion(ADMIN, audience, Instant.now().plusSeconds(60));
        assertThat(adminCall("GET", "/admin/keys", null, once).statusCode()).isEqualTo(200);
        HttpResponse<String> replayed = adminCall("GET", "/admin/keys", null, once);
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(replayed.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));

        HttpResponse<String> missingReason = adminCall("POST", "/admin/keys/rotate", "{}",
                adminAssertion(ADMIN, audience, Instant.now().plusSeconds(60)));
        assertThat(missingReason.statusCode()).isEqualTo(400);
        assertThat(missingReason.body()).contains("invalid_request", "reason is required");
        HttpResponse<String> unknown = adminCall("POST", "/admin/keys/revoke", "{\"kid\":\"no-such-kid\",\"reason\":\"x\"}",
                adminAssertion(ADMIN, audience, Instant.now().plusSeconds(60)));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(adminCall("POST", "/admin/keys/revoke", "[1, 2",
                adminAssertion(ADMIN, audience, Instant.now().plusSeconds(60))).statusCode()).isEqualTo(400);

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> keys = (List<Map<String, Object>>) admin("GET", "/admin/keys", null).get("keys");
        assertThat(keys).extracting(k -> k.get("alg")).contains("RS256", "PS256", "ES256", "RSA-OAEP-256");
        assertThat(keys).allSatisfy(k -> assertThat(k).containsKeys("kid", "state", "createdAt", "published")
                .doesNotContainKeys("d", "privateKey", "private_key"));
        // OpenAPI says date-time: ISO-8601 strings, not epoch numbers.
        assertThat(keys).extracting(k -> k.get("createdAt")).allSatisfy(at -> assertThat(Instant.parse((String) at)).isNotNull());

        HttpResponse<String> openApi = adminCall("GET", "/admin/openapi.json", null, null);
        assertThat(openApi.statusCode()).isEqualTo(200);
        assertThat(JSONObjectUtils.getJSONObject(JSONObjectUtils.parse(openApi.body()), "paths"))
                .containsKeys("/admin/keys", "/admin/keys/rotate", "/admin/keys/revoke");
    }

    private IDTokenValidator idTokenValidator(JWKSource<SecurityContext> keys) {
        return new IDTokenValidator(new Issuer(FIXTURE.issuer), new ClientID(PortalFixture.CITY),
                new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys), null);
    }

    private static JWTClaimsSet verifyAccessToken(String token, JWKSource<SecurityContext> keys) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        // The gateway's signing algorithms; each published key is bound to one of them by its alg.
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256), keys));
        return processor.process(token, null);
    }

    private interface Check {
        void run() throws Exception;
    }

    private static boolean verifies(Check check) {
        return why(check) == null;
    }

    /** Null when the check passes, else what failed. */
    private static String why(Check check) {
        try {
            check.run();
            return null;
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static Issued firstAccess(List<Issued> issued, String kid) {
        return issued.stream().filter(token -> !token.idToken() && token.kid().equals(kid)).findFirst().orElseThrow();
    }

    /** As a portal does: an ID token with Nimbus's IDTokenValidator, an access token as a plain RS256 JWT. */
    private void verify(Issued token, JWKSource<SecurityContext> keys) throws Exception {
        if (token.idToken()) {
            idTokenValidator(keys).validate(SignedJWT.parse(token.value()), null);
        } else {
            verifyAccessToken(token.value(), keys);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> changes(Map<String, Object> response) {
        return (List<Map<String, Object>>) response.get("changes");
    }

    private static String alg(Issued token) throws java.text.ParseException {
        return SignedJWT.parse(token.value()).getHeader().getAlgorithm().getName();
    }

    private Map<String, String> activeKids(Set<String> algs) throws Exception {
        Map<String, String> kids = new TreeMap<>();
        for (String alg : algs) {
            kids.put(alg, activeKid(alg));
        }
        return kids;
    }

    @SuppressWarnings("unchecked")
    private String activeKid(String alg) throws Exception {
        List<Map<String, Object>> keys = (List<Map<String, Object>>) admin("GET", "/admin/keys", null).get("keys");
        return keys.stream().filter(k -> alg.equals(k.get("alg")) && "active".equals(k.get("state")))
                .map(k -> (String) k.get("kid")).findFirst().orElseThrow();
    }

    /** Calls the admin API the way a security team's tool does: a fresh signed assertion per call. */
    Map<String, Object> admin(String method, String path, Map<String, Object> body) throws Exception {
        HttpResponse<String> response = adminCall(method, path, body == null ? null : JSONObjectUtils.toJSONString(body),
                adminAssertion(ADMIN, FIXTURE.issuer + "/admin", Instant.now().plusSeconds(60)));
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(200);
        return JSONObjectUtils.parse(response.body());
    }

    static HttpResponse<String> adminCall(String method, String path, String json, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(FIXTURE.issuer + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String adminAssertion(ECKey key, String audience, Instant expiresAt) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer("passerelle-admin").subject("passerelle-admin").audience(audience)
                        .issueTime(new java.util.Date()).expirationTime(java.util.Date.from(expiresAt))
                        .jwtID(java.util.UUID.randomUUID().toString()).build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static ECKey adminKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("security-team-1").algorithm(JWSAlgorithm.ES256).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A portal that caches the JWKS for exactly the max-age the gateway sends and never refetches early, not
     * even for an unknown kid: the strictest reading of the gateway's caching promise.
     */
    private static final class StrictPortalCache implements JWKSource<SecurityContext> {
        private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");
        private final URI uri;
        private JWKSet cached;
        private long expiresAt;

        StrictPortalCache(URI uri) {
            this.uri = uri;
        }

        @Override
        public synchronized List<JWK> get(JWKSelector selector, SecurityContext context) {
            if (cached == null || System.nanoTime() >= expiresAt) {
                try {
                    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                            HttpResponse.BodyHandlers.ofString());
                    Matcher maxAge = MAX_AGE.matcher(response.headers().firstValue("Cache-Control").orElse(""));
                    long seconds = maxAge.find() ? Long.parseLong(maxAge.group(1)) : 0;
                    cached = JWKSet.parse(response.body());
                    expiresAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                } catch (Exception e) {
                    throw new IllegalStateException("JWKS fetch failed", e);
                }
            }
            return selector.select(cached);
        }
    }
}

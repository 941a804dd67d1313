package io.passerelle.demo;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import io.passerelle.config.IssuerProperties;
import io.passerelle.keys.KeyRing;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Controller;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * DEMO ONLY: a small mobile-ID-style OpenID Provider for synthetic citizens, so that a whole sign-in
 * can be tried on localhost. It speaks real OIDC to the gateway's OIDC connector, with the itsme
 * profile's hard parts: the gateway authenticates with private_key_jwt (verified against the gateway's
 * published keys), sends a signed request object, and gets its ID token signed (ES256) and then
 * encrypted to the gateway's encryption key (RSA-OAEP-256). Codes and pending requests live in memory.
 */
@Controller
@ConditionalOnProperty(name = "passerelle.demo.enabled", havingValue = "true")
@RequestMapping(DemoIdentityProvider.PATH)
public class DemoIdentityProvider {

    static final String PATH = "/demo/idp";
    static final String CLIENT_ID = "passerelle-gateway";
    private static final Duration CODE_LIFETIME = Duration.ofMinutes(2);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String issuer;
    private final String callback;
    private final KeyRing gatewayKeys;
    private final Clock clock;
    private final ECKey signingKey;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();

    record Pending(String redirectUri, String state, String nonce, String codeChallenge, String acr, Instant expiresAt) {
    }

    record Grant(Pending request, SyntheticCitizens.Citizen citizen, Instant expiresAt) {
    }

    public DemoIdentityProvider(IssuerProperties gateway, KeyRing gatewayKeys, Clock clock) throws JOSEException {
        this.issuer = gateway.issuerId() + PATH;
        this.callback = gateway.issuerId() + "/broker/callback/demo-mobile-id";
        this.gatewayKeys = gatewayKeys;
        this.clock = clock;
        this.signingKey = new ECKeyGenerator(Curve.P_256).keyID("demo-idp-" + random(6)).generate();
    }

    @GetMapping("/.well-known/openid-configuration")
    @ResponseBody
    public Map<String, Object> discovery() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("authorization_endpoint", issuer + "/authorize");
        metadata.put("token_endpoint", issuer + "/token");
        metadata.put("jwks_uri", issuer + "/jwks");
        metadata.put("response_types_supported", List.of("code"));
        metadata.put("subject_types_supported", List.of("pairwise"));
        metadata.put("id_token_signing_alg_values_supported", List.of("ES256"));
        metadata.put("id_token_encryption_alg_values_supported", List.of("RSA-OAEP-256"));
        metadata.put("id_token_encryption_enc_values_supported", List.of("A128CBC-HS256"));
        metadata.put("request_object_signing_alg_values_supported", List.of("RS256"));
        metadata.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
        metadata.put("code_challenge_methods_supported", List.of("S256"));
        metadata.put("authorization_response_iss_parameter_supported", true);
        return metadata;
    }

    @GetMapping("/jwks")
    @ResponseBody
    public Map<String, Object> jwks() {
        return new JWKSet(signingKey.toPublicJWK()).toJSONObject();
    }

    @GetMapping("/authorize")
    public String authorize(@RequestParam Map<String, String> query, Model model) {
        purge();
        Map<String, String> params = query;
        String requestObject = query.get("request");
        try {
            if (requestObject != null) {
                params = requestParameters(requestObject);
            }
        } catch (Exception e) {
            model.addAttribute("problem", "the signed request object did not verify: " + e.getMessage());
            return "demo/idp-problem";
        }
        if (!CLIENT_ID.equals(params.get("client_id")) || !callback.equals(params.get("redirect_uri"))
                || !"code".equals(params.get("response_type")) || !"S256".equals(params.get("code_challenge_method"))
                || !StringUtils.hasText(params.get("code_challenge")) || !StringUtils.hasText(params.get("nonce"))) {
            model.addAttribute("problem", "unknown client, unregistered redirect_uri, or no PKCE S256 / nonce");
            return "demo/idp-problem";
        }
        String id = random(16);
        pending.put(id, new Pending(params.get("redirect_uri"), params.get("state"), params.get("nonce"),
                params.get("code_challenge"), params.get("acr_values"), clock.instant().plus(CODE_LIFETIME)));
        model.addAttribute("request", id);
        model.addAttribute("citizens", SyntheticCitizens.ALL);
        return "demo/idp-authorize";
    }

    @PostMapping("/authorize")
    public String decide(@RequestParam String request, @RequestParam(required = false) String citizen) {
        Pending p = pending.remove(request);
        if (p == null || p.expiresAt().isBefore(clock.instant())) {
            return "redirect:" + DemoPortal.PATH;
        }
        UriComponentsBuilder back = UriComponentsBuilder.fromUriString(p.redirectUri());
        var who = citizen == null ? null : SyntheticCitizens.find(citizen).orElse(null);
        if (who == null) {
            back.queryParam("error", "access_denied");
        } else {
            String code = random(32);
            codes.put(code, new Grant(p, who, clock.instant().plus(CODE_LIFETIME)));
            back.queryParam("code", code);
        }
        if (p.state() != null) {
            back.queryParam("state", p.state());
        }
        back.queryParam("iss", issuer);
        return "redirect:" + back.encode().build().toUriString();
    }

    @PostMapping("/token")
    @ResponseBody
    public ResponseEntity<Map<String, Object>> token(@RequestParam Map<String, String> form) {
        try {
            verifyClientAssertion(form.get("client_assertion"));
        } catch (Exception e) {
            return error(HttpStatus.UNAUTHORIZED, "invalid_client");
        }
        Grant grant = form.get("code") == null ? null : codes.remove(form.get("code"));
        if (grant == null || grant.expiresAt().isBefore(clock.instant())
                || !grant.request().redirectUri().equals(form.get("redirect_uri"))
                || !s256(form.getOrDefault("code_verifier", "")).equals(grant.request().codeChallenge())) {
            return error(HttpStatus.BAD_REQUEST, "invalid_grant");
        }
        try {
            String accessToken = random(32);
            return ResponseEntity.ok()
                    .header("Cache-Control", "no-store")
                    .body(Map.of("access_token", accessToken, "token_type", "Bearer", "expires_in", 60,
                            "id_token", idToken(grant)));
        } catch (JOSEException e) {
            return error(HttpStatus.INTERNAL_SERVER_ERROR, "server_error");
        }
    }

    private String idToken(Grant grant) throws JOSEException {
        Instant now = clock.instant();
        SyntheticCitizens.Citizen c = grant.citizen();
        boolean advanced = grant.request().acr() != null && grant.request().acr().contains("advanced");
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject(c.id() + "-at-demo-idp")
                .audience(CLIENT_ID).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(120)))
                .claim("nonce", grant.request().nonce()).claim("auth_time", now.getEpochSecond())
                .claim("acr", advanced ? DemoConnector.ACR_ADVANCED : DemoConnector.ACR_BASIC)
                .claim("amr", advanced ? List.of("mfa", "pin") : List.of("mfa"))
                .claim("given_name", c.givenName()).claim("family_name", c.familyName())
                .claim("birthdate", c.birthdate()).claim("gender", c.gender()).claim("locale", c.locale())
                .claim("http://itsme.services/v2/claim/BENationalNumber", c.nationalNumber())
                .build();
        SignedJWT signed = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID()).build(),
                claims);
        signed.sign(new ECDSASigner(signingKey));
        JWK encryptTo = gatewayKeys.activeEncryptionKey().orElseThrow(() -> new JOSEException("no gateway enc key"));
        JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A128CBC_HS256)
                .keyID(encryptTo.getKeyID()).contentType("JWT").build(), new Payload(signed));
        jwe.encrypt(new RSAEncrypter(encryptTo.toRSAKey()));
        return jwe.serialize();
    }

    private Map<String, String> requestParameters(String requestObject) throws Exception {
        // RFC 9101 10.8: request objects are typed, so that no other JWT of the gateway can pass for one.
        JWTClaimsSet claims = verifyGatewayJwt(requestObject, issuer, List.of("client_id", "redirect_uri", "nonce"),
                new JOSEObjectType("oauth-authz-req+jwt"));
        if (!CLIENT_ID.equals(claims.getIssuer())) {
            throw new IllegalArgumentException("iss is not the client");
        }
        Map<String, String> params = new LinkedHashMap<>();
        claims.getClaims().forEach((k, v) -> params.put(k, Objects.toString(v, null)));
        return params;
    }

    private void verifyClientAssertion(String assertion) throws Exception {
        JWTClaimsSet claims = verifyGatewayJwt(assertion, issuer + "/token", List.of("jti"), JOSEObjectType.JWT);
        if (!CLIENT_ID.equals(claims.getIssuer()) || !CLIENT_ID.equals(claims.getSubject())) {
            throw new IllegalArgumentException("iss and sub must be the client");
        }
    }

    /** Verifies a JWT the gateway signed with one of its published keys (RS256), for this audience. */
    private JWTClaimsSet verifyGatewayJwt(String jwt, String audience, List<String> required, JOSEObjectType type)
            throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(type, null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                new ImmutableJWKSet<>(gatewayKeys.publicJwks())));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience, null,
                new java.util.HashSet<>(concat(required, List.of("exp")))));
        return processor.process(Objects.requireNonNull(jwt, "no JWT"), null);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private void purge() {
        Instant now = clock.instant();
        pending.values().removeIf(p -> p.expiresAt().isBefore(now));
        codes.values().removeIf(g -> g.expiresAt().isBefore(now));
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String error) {
        return ResponseEntity.status(status).header("Cache-Control", "no-store").body(Map.of("error", error));
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    /** The demo connector's vocabulary, shared with config/demo/connectors/demo-mobile-id.yml. */
    static final class DemoConnector {
        static final String ACR_BASIC = "http://demo.mobile-id.example/acr_basic";
        static final String ACR_ADVANCED = "http://demo.mobile-id.example/acr_advanced";

        private DemoConnector() {
        }
    }
}

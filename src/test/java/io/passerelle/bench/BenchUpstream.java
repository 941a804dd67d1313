package io.passerelle.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * BENCHMARK ONLY: the fastest honest upstream OpenID Provider: real discovery, authorization
 * (approves at once, each login a new subject), token endpoint with client_secret_basic and PKCE, and
 * an ES256-signed ID token with nonce; on the JDK's own HTTP server with virtual threads.
 */
final class BenchUpstream implements AutoCloseable {

    static final String CLIENT_ID = "passerelle-bench";
    static final String SECRET = "bench-secret-" + UUID.randomUUID();

    private final HttpServer server;
    private final ECKey key;
    private final String issuer;
    private final Map<String, String[]> codes = new ConcurrentHashMap<>();

    BenchUpstream() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        issuer = "http://localhost:" + server.getAddress().getPort() + "/op";
        key = new ECKeyGenerator(Curve.P_256).keyID("bench").generate();
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/op/.well-known/openid-configuration", ex -> json(ex, 200, """
                {"issuer":"%1$s","authorization_endpoint":"%1$s/authorize","token_endpoint":"%1$s/token",
                 "jwks_uri":"%1$s/jwks","response_types_supported":["code"],"subject_types_supported":["public"],
                 "id_token_signing_alg_values_supported":["ES256"],"code_challenge_methods_supported":["S256"]}"""
                .formatted(issuer)));
        server.createContext("/op/jwks", ex -> json(ex, 200, new JWKSet(key.toPublicJWK()).toString(true)));
        server.createContext("/op/authorize", this::authorize);
        server.createContext("/op/token", this::token);
        server.start();
    }

    String issuer() {
        return issuer;
    }

    private void authorize(HttpExchange ex) throws IOException {
        Map<String, String> q = form(ex.getRequestURI().getRawQuery());
        String code = UUID.randomUUID().toString();
        codes.put(code, new String[] {q.get("nonce"), q.get("code_challenge"), "citizen-" + UUID.randomUUID()});
        ex.getResponseHeaders().add("Location", q.get("redirect_uri") + "?code=" + code + "&state="
                + URLEncoderLite.encode(q.get("state")));
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private void token(HttpExchange ex) throws IOException {
        Map<String, String> f = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String basic = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + SECRET).getBytes());
        String[] grant = codes.remove(f.getOrDefault("code", ""));
        if (!basic.equals(ex.getRequestHeaders().getFirst("Authorization")) || grant == null
                || !grant[1].equals(s256(f.get("code_verifier")))) {
            json(ex, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        try {
            long now = System.currentTimeMillis();
            SignedJWT idToken = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("bench").build(),
                    new JWTClaimsSet.Builder().issuer(issuer).subject(grant[2]).audience(CLIENT_ID)
                            .issueTime(new Date(now)).expirationTime(new Date(now + 120_000)).claim("nonce", grant[0])
                            .claim("auth_time", now / 1000).claim("given_name", "Bench").build());
            idToken.sign(new ECDSASigner(key));
            json(ex, 200, "{\"access_token\":\"" + UUID.randomUUID() + "\",\"token_type\":\"Bearer\",\"expires_in\":60,"
                    + "\"id_token\":\"" + idToken.serialize() + "\"}");
        } catch (Exception e) {
            json(ex, 500, "{\"error\":\"server_error\"}");
        }
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier == null ? new byte[0] : verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> map = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    map.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return map;
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static final class URLEncoderLite {
        static String encode(String value) {
            return java.net.URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
        }
    }
}

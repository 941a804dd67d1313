package io.passerelle.connector.oidc;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;

import io.passerelle.connector.ConnectorException;

/**
 * The named checks on an ID token's claims, once its signature verified (OpenID Connect Core 1.0,
 * 3.1.3.7 "ID Token Validation"; item numbers in each comment). Each throws INVALID_RESPONSE with its
 * name as the check, and a message without the token, nonce or any personal data.
 */
final class IdTokenChecks {

    /** An ID token issued longer ago than this is refused, skew aside (Core 3.1.3.7 item 10 leaves the bound to us). */
    static final Duration MAX_AGE = Duration.ofMinutes(10);

    private IdTokenChecks() {
    }

    /** Core 2: sub is REQUIRED, a non-empty string of at most 255 ASCII characters. */
    static String subjectPresent(JWTClaimsSet claims) {
        String sub = claims.getSubject();
        if (sub == null || sub.isBlank() || sub.length() > 255 || !sub.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw fail("IdTokenSubjectPresent", "sub is missing or not a string of at most 255 ASCII characters");
        }
        return sub;
    }

    /** Core 3.1.3.7 item 2: iss exactly equals the issuer pinned in the configuration. */
    static void issuerMatches(JWTClaimsSet claims, String issuer) {
        if (!issuer.equals(claims.getIssuer())) {
            throw fail("IdTokenIssuerMatches", "iss '" + JoseChecks.safe(claims.getIssuer()) + "' is not the pinned issuer '" + issuer + "'");
        }
    }

    /** Core 3.1.3.7 item 3: aud contains our client_id. */
    static void audienceContainsClient(JWTClaimsSet claims, String clientId) {
        List<String> audience = claims.getAudience();
        if (audience == null || !audience.contains(clientId)) {
            throw fail("IdTokenAudienceContainsClient", "aud " + JoseChecks.safe(audience) + " does not contain the client_id");
        }
    }

    /**
     * Core 3.1.3.7 items 4 and 5: with several audiences azp is required, and when present it equals our
     * client_id (the token was issued to us, not to another audience that forwarded it).
     */
    static void authorizedPartyMatches(JWTClaimsSet claims, String clientId) {
        Object azp = claims.getClaim("azp");
        List<String> audience = claims.getAudience();
        if (azp == null && audience != null && audience.size() > 1) {
            throw fail("IdTokenAuthorizedParty", "several audiences and no azp");
        }
        if (azp != null && !clientId.equals(azp)) {
            throw fail("IdTokenAuthorizedParty", "azp is not the client_id");
        }
    }

    /** Core 3.1.3.7 item 9: exp is required and the current time is before it, give or take the skew. */
    static void notExpired(JWTClaimsSet claims, Instant now, Duration skew) {
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw fail("IdTokenNotExpired", "exp is missing");
        }
        if (!now.isBefore(exp.toInstant().plus(skew))) {
            throw fail("IdTokenNotExpired", "the ID token expired at " + exp.toInstant());
        }
    }

    /** RFC 7519 4.1.5: a token carrying nbf is not accepted before it (give or take the skew). */
    static void notBefore(JWTClaimsSet claims, Instant now, Duration skew) {
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(skew).isBefore(nbf.toInstant())) {
            throw fail("IdTokenNotBefore", "the ID token is not valid before " + nbf.toInstant());
        }
    }

    /**
     * Core 3.1.3.7 item 10: iat is required, not in the future beyond the skew, and not older than
     * {@link #MAX_AGE} (a token minted long ago is a replay candidate).
     */
    static void issuedRecently(JWTClaimsSet claims, Instant now, Duration skew) {
        Date iat = claims.getIssueTime();
        if (iat == null) {
            throw fail("IdTokenIssuedRecently", "iat is missing");
        }
        Instant issued = iat.toInstant();
        if (issued.isAfter(now.plus(skew))) {
            throw fail("IdTokenIssuedRecently", "iat " + issued + " is in the future");
        }
        if (issued.isBefore(now.minus(MAX_AGE).minus(skew))) {
            throw fail("IdTokenIssuedRecently", "iat " + issued + " is older than " + MAX_AGE.toMinutes() + " minutes");
        }
    }

    /** Core 3.1.3.7 item 11: nonce equals the one this login sent (compared in constant time). */
    static void nonceMatches(JWTClaimsSet claims, String expected) {
        Object nonce = claims.getClaim("nonce");
        if (!(nonce instanceof String actual) || !MessageDigest.isEqual(actual.getBytes(UTF_8), expected.getBytes(UTF_8))) {
            throw fail("IdTokenNonceMatches", nonce == null ? "nonce is missing" : "nonce does not match this login");
        }
    }

    /**
     * Core 3.1.3.7 item 13: when max_age was sent, auth_time is required and no older than max_age
     * (plus skew). Without max_age, an auth_time present must still be a number not in the future.
     */
    static Instant authTimeValid(JWTClaimsSet claims, Duration maxAge, Instant now, Duration skew) {
        Date authTime;
        try {
            authTime = claims.getDateClaim("auth_time");
        } catch (ParseException e) {
            throw fail("IdTokenAuthTime", "auth_time is not a number");
        }
        if (authTime == null) {
            if (maxAge != null) {
                throw fail("IdTokenAuthTime", "max_age was sent but auth_time is missing");
            }
            return null;
        }
        Instant at = authTime.toInstant();
        if (at.isAfter(now.plus(skew))) {
            throw fail("IdTokenAuthTime", "auth_time " + at + " is in the future");
        }
        if (maxAge != null && at.plus(maxAge).plus(skew).isBefore(now)) {
            throw fail("IdTokenAuthTime", "auth_time " + at + " is older than max_age " + maxAge);
        }
        return at;
    }

    /**
     * Core 3.2.2.9 / 3.3.2.11: at_hash is optional in the code flow, but when present it must be the
     * left half of the access token's hash with the ID token's alg: proof the two were issued together.
     */
    static void accessTokenHashMatches(JWTClaimsSet claims, String accessToken, JWSAlgorithm alg) {
        Object atHash = claims.getClaim("at_hash");
        if (atHash == null) {
            return;
        }
        AccessTokenHash expected;
        try {
            expected = AccessTokenHash.compute(new BearerAccessToken(accessToken), alg);
        } catch (RuntimeException e) {
            throw fail("IdTokenAccessTokenHash", "at_hash cannot be computed for " + alg);
        }
        if (expected == null || !MessageDigest.isEqual(expected.getValue().getBytes(UTF_8),
                String.valueOf(atHash).getBytes(UTF_8))) {
            throw fail("IdTokenAccessTokenHash", "at_hash does not match the access token");
        }
    }

    static ConnectorException fail(String check, String message) {
        return JoseChecks.fail(check, message);
    }
}

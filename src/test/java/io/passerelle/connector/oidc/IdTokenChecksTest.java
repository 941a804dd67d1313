package io.passerelle.connector.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import org.junit.jupiter.api.Test;

import io.passerelle.connector.ConnectorException.Kind;

/** Each named ID token check (OIDC Core 3.1.3.7), with a good and a bad case. */
class IdTokenChecksTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Duration SKEW = Duration.ofSeconds(60);
    static final String ISSUER = "https://op.example";
    static final String CLIENT = "passerelle";

    static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("s-1").audience(CLIENT)
                .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(300))).claim("nonce", "n-1");
    }

    static void refused(Runnable check, String name) {
        OidcConnectorFaultsTest.refused(check::run, Kind.INVALID_RESPONSE, name);
    }

    @Test
    void subjectPresentGood() {
        assertThat(IdTokenChecks.subjectPresent(claims().build())).isEqualTo("s-1");
    }

    @Test
    void subjectPresentBad() {
        refused(() -> IdTokenChecks.subjectPresent(claims().subject(null).build()), "IdTokenSubjectPresent");
        refused(() -> IdTokenChecks.subjectPresent(claims().subject("x".repeat(256)).build()), "IdTokenSubjectPresent");
    }

    @Test
    void issuerMatchesGood() {
        assertThatCode(() -> IdTokenChecks.issuerMatches(claims().build(), ISSUER)).doesNotThrowAnyException();
    }

    @Test
    void issuerMatchesBad() {
        // Exact comparison: a trailing slash is another issuer.
        refused(() -> IdTokenChecks.issuerMatches(claims().issuer(ISSUER + "/").build(), ISSUER), "IdTokenIssuerMatches");
        refused(() -> IdTokenChecks.issuerMatches(claims().issuer(null).build(), ISSUER), "IdTokenIssuerMatches");
    }

    @Test
    void audienceContainsClientGood() {
        assertThatCode(() -> IdTokenChecks.audienceContainsClient(claims().audience(List.of("x", CLIENT)).build(), CLIENT))
                .doesNotThrowAnyException();
    }

    @Test
    void audienceContainsClientBad() {
        refused(() -> IdTokenChecks.audienceContainsClient(claims().audience("other").build(), CLIENT),
                "IdTokenAudienceContainsClient");
    }

    @Test
    void authorizedPartyGood() {
        assertThatCode(() -> IdTokenChecks.authorizedPartyMatches(claims().build(), CLIENT)).doesNotThrowAnyException();
        assertThatCode(() -> IdTokenChecks.authorizedPartyMatches(
                claims().audience(List.of(CLIENT, "api")).claim("azp", CLIENT).build(), CLIENT)).doesNotThrowAnyException();
    }

    @Test
    void authorizedPartyBad() {
        refused(() -> IdTokenChecks.authorizedPartyMatches(claims().audience(List.of(CLIENT, "api")).build(), CLIENT),
                "IdTokenAuthorizedParty");
        refused(() -> IdTokenChecks.authorizedPartyMatches(claims().claim("azp", "other").build(), CLIENT),
                "IdTokenAuthorizedParty");
    }

    @Test
    void notExpiredGood() {
        // Expired 59 s ago: within the skew.
        assertThatCode(() -> IdTokenChecks.notExpired(claims().expirationTime(Date.from(NOW.minusSeconds(59))).build(),
                NOW, SKEW)).doesNotThrowAnyException();
    }

    @Test
    void notExpiredBad() {
        refused(() -> IdTokenChecks.notExpired(claims().expirationTime(Date.from(NOW.minusSeconds(60))).build(), NOW, SKEW),
                "IdTokenNotExpired");
        refused(() -> IdTokenChecks.notExpired(claims().expirationTime(null).build(), NOW, SKEW), "IdTokenNotExpired");
    }

    @Test
    void notBeforeGood() {
        assertThatCode(() -> IdTokenChecks.notBefore(claims().notBeforeTime(Date.from(NOW.plusSeconds(30))).build(),
                NOW, SKEW)).doesNotThrowAnyException();
    }

    @Test
    void notBeforeBad() {
        refused(() -> IdTokenChecks.notBefore(claims().notBeforeTime(Date.from(NOW.plusSeconds(61))).build(), NOW, SKEW),
                "IdTokenNotBefore");
    }

    @Test
    void issuedRecentlyGood() {
        assertThatCode(() -> IdTokenChecks.issuedRecently(claims().issueTime(Date.from(NOW.minusSeconds(600))).build(),
                NOW, SKEW)).doesNotThrowAnyException();
    }

    @Test
    void issuedRecentlyBad() {
        refused(() -> IdTokenChecks.issuedRecently(claims().issueTime(Date.from(NOW.plusSeconds(61))).build(), NOW, SKEW),
                "IdTokenIssuedRecently");
        refused(() -> IdTokenChecks.issuedRecently(claims().issueTime(Date.from(NOW.minusSeconds(661))).build(), NOW, SKEW),
                "IdTokenIssuedRecently");
        refused(() -> IdTokenChecks.issuedRecently(claims().issueTime(null).build(), NOW, SKEW), "IdTokenIssuedRecently");
    }

    @Test
    void nonceMatchesGood() {
        assertThatCode(() -> IdTokenChecks.nonceMatches(claims().build(), "n-1")).doesNotThrowAnyException();
    }

    @Test
    void nonceMatchesBad() {
        refused(() -> IdTokenChecks.nonceMatches(claims().build(), "n-2"), "IdTokenNonceMatches");
        refused(() -> IdTokenChecks.nonceMatches(claims().claim("nonce", null).build(), "n-1"), "IdTokenNonceMatches");
    }

    @Test
    void authTimeGood() {
        JWTClaimsSet recent = claims().claim("auth_time", NOW.minusSeconds(100).getEpochSecond()).build();
        assertThat(IdTokenChecks.authTimeValid(recent, Duration.ofMinutes(5), NOW, SKEW)).isEqualTo(NOW.minusSeconds(100));
        assertThat(IdTokenChecks.authTimeValid(claims().build(), null, NOW, SKEW)).isNull();
    }

    @Test
    void authTimeBad() {
        refused(() -> IdTokenChecks.authTimeValid(claims().build(), Duration.ofMinutes(5), NOW, SKEW), "IdTokenAuthTime");
        JWTClaimsSet old = claims().claim("auth_time", NOW.minusSeconds(400).getEpochSecond()).build();
        refused(() -> IdTokenChecks.authTimeValid(old, Duration.ofMinutes(5), NOW, SKEW), "IdTokenAuthTime");
        JWTClaimsSet future = claims().claim("auth_time", NOW.plusSeconds(120).getEpochSecond()).build();
        refused(() -> IdTokenChecks.authTimeValid(future, null, NOW, SKEW), "IdTokenAuthTime");
    }

    @Test
    void accessTokenHashGood() {
        String hash = AccessTokenHash.compute(new BearerAccessToken("at-1"), JWSAlgorithm.RS256).getValue();
        assertThatCode(() -> IdTokenChecks.accessTokenHashMatches(claims().claim("at_hash", hash).build(), "at-1",
                JWSAlgorithm.RS256)).doesNotThrowAnyException();
        // at_hash is optional in the code flow.
        assertThatCode(() -> IdTokenChecks.accessTokenHashMatches(claims().build(), "at-1", JWSAlgorithm.RS256))
                .doesNotThrowAnyException();
    }

    @Test
    void accessTokenHashBad() {
        String hash = AccessTokenHash.compute(new BearerAccessToken("at-1"), JWSAlgorithm.RS256).getValue();
        refused(() -> IdTokenChecks.accessTokenHashMatches(claims().claim("at_hash", hash).build(), "at-2",
                JWSAlgorithm.RS256), "IdTokenAccessTokenHash");
    }
}

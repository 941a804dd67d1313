package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;

import org.junit.jupiter.api.BeforeEach;

/**
 * A citizen of each test's own (the test key's login hint: Anna Peeters, anna@example.org and a national
 * number) signing in to a portal through the test-high key, with the consent page answered by
 * hand; then the portal's tokens and userinfo as raw HTTP, so tests can assert exact answers.
 */
abstract class AbstractCitizenLoginTest extends AbstractIssuerIntegrationTest {

    protected String person;
    protected String nationalNumber;

    @BeforeEach
    void newCitizen() {
        autoConsent = false;
        long base = 100_000_000L + java.util.concurrent.ThreadLocalRandom.current().nextLong(800_000_000L);
        nationalNumber = String.format("%09d%02d", base, 97 - base % 97);
        person = "person-" + UUID.randomUUID() + "/" + nationalNumber;
    }

    protected static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Userinfo with the access token in the Authorization header: status and body as received. */
    protected HttpResponse<String> userInfoByHeader(String accessToken) throws Exception {
        return browser.send(HttpRequest.newBuilder(op.getUserInfoEndpointURI()).header("Authorization", "Bearer " + accessToken)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    protected static Map<String, Object> json(HttpResponse<String> response) throws Exception {
        return JSONObjectUtils.parse(response.body());
    }

    /**
     * One authorization request of a portal for this test's citizen: the city (private_key_jwt; profile,
     * email, national_number), the region (client_secret_basic, ES256; profile only) or the tax portal
     * (client_secret_basic, consent-exempt). Through the test-high key unless {@code extra} names another.
     */
    protected final class Login {
        final String clientId;
        final String scope;
        final String extra;
        final CodeVerifier verifier = new CodeVerifier();
        final Nonce nonce = new Nonce();
        final State state = new State();

        Login(String clientId, String scope, String extra) {
            this.clientId = clientId;
            this.scope = scope;
            this.extra = extra;
        }

        /** The tokens of the last exchange, for userinfo. */
        OIDCTokenResponse lastTokens;

        boolean secretClient() {
            return PortalFixture.REGION.equals(clientId) || PortalFixture.TAX.equals(clientId);
        }

        String redirect() {
            return switch (clientId) {
                case PortalFixture.REGION -> "https://region.example/cb";
                case PortalFixture.TAX -> "https://tax.example/cb";
                default -> PortalFixture.CALLBACK;
            };
        }

        URI uri() {
            URI base = new AuthenticationRequest.Builder(ResponseType.CODE, Scope.parse(scope), new ClientID(clientId),
                    URI.create(redirect())).state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256)
                    .endpointURI(op.getAuthorizationEndpointURI()).build().toURI();
            String hint = extra != null && extra.contains("idp_hint=") ? "" : "&idp_hint=test-high";
            return URI.create(base + hint + "&login_hint=" + enc(person) + (extra == null ? "" : "&" + extra));
        }

        /** The authorization request through the upstream sign-in, to the broker's answer. */
        HttpResponse<String> signIn() throws Exception {
            return get(upstreamFrom(get(uri())));
        }

        /** Submits the consent page, ticking what {@code keep} accepts, and follows back to the portal. */
        HttpResponse<String> consent(java.util.function.Predicate<String> keep) throws Exception {
            HttpResponse<String> answered = answerConsent("allow", keep);
            return get(URI.create(fixture.issuer).resolve(location(answered)));
        }

        OIDCTokenResponse tokens(HttpResponse<String> response) throws Exception {
            String next = location(response);
            assertThat(next).startsWith(redirect());
            AuthorizationResponse parsed = AuthorizationResponse.parse(URI.create(next));
            assertThat(parsed.getState()).isEqualTo(state);
            AuthorizationCode code = parsed.toSuccessResponse().getAuthorizationCode();
            if (secretClient()) {
                lastTokens = PortalClient.tokens(OIDCTokenResponseParser.parse(new TokenRequest(op.getTokenEndpointURI(),
                        new ClientSecretBasic(new ClientID(clientId), new Secret(PortalFixture.REGION_SECRET)),
                        new AuthorizationCodeGrant(code, URI.create(redirect()), verifier)).toHTTPRequest().send()));
                return lastTokens;
            }
            lastTokens = PortalClient.tokens(exchange(code, verifier));
            return lastTokens;
        }

        IDTokenClaimsSet verify(OIDCTokenResponse tokens) throws Exception {
            JWSAlgorithm alg = PortalFixture.REGION.equals(clientId) ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
            return idTokenValidator(clientId, alg).validate(tokens.getOIDCTokens().getIDToken(), nonce);
        }

        /** The error the portal received, with its issuer and state checked. */
        String error(HttpResponse<String> response) throws Exception {
            AuthorizationResponse parsed = AuthorizationResponse.parse(URI.create(location(response)));
            assertThat(parsed.getIssuer().getValue()).isEqualTo(fixture.issuer);
            assertThat(parsed.getState()).isEqualTo(state);
            return parsed.toErrorResponse().getErrorObject().getCode();
        }
    }
}

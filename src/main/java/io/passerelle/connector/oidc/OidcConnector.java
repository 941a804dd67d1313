package io.passerelle.connector.oidc;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;

import io.micrometer.core.instrument.MeterRegistry;
import io.passerelle.connector.Callback;
import io.passerelle.connector.Connector;
import io.passerelle.connector.Loa;
import io.passerelle.connector.LoginContext;
import io.passerelle.connector.UpstreamIdentity;
import io.passerelle.connector.oidc.OidcConnectorConfig.UserInfo;

/**
 * One configured upstream OpenID Connect provider: a plain OIDC provider or an itsme-grade mobile-ID
 * (private_key_jwt, encrypted request objects, encrypted ID tokens), both from the same code and told
 * apart only by configuration. Everything is built here once; a login only fetches what is not cached
 * (discovery, JWKS) and calls the provider, each call with its timeouts. No per-login state is kept:
 * the broker hands state, nonce and PKCE verifier in through {@link LoginContext}.
 */
public final class OidcConnector implements Connector {

    private final OidcConnectorConfig config;
    private final Clock clock;
    private final ProviderDiscovery discovery;
    private final AuthorizationRequest authorizationRequest;
    private final TokenClient tokenClient;
    private final ProviderJwtReader jwtReader;
    private final UserInfoClient userInfoClient;
    private final LoaPolicy loaPolicy;
    private final ClaimMapping claimMapping;

    /** @param meters where the upstream calls are timed ({@code passerelle.upstream.requests}) */
    public OidcConnector(OidcConnectorConfig config, OidcKeys keys, Clock clock, MeterRegistry meters) {
        this.config = config;
        this.clock = clock;
        OidcHttp http = new OidcHttp(config.connectTimeout(), config.readTimeout(), config.common().id(), meters);
        ProviderKeys providerKeys = new ProviderKeys(http, clock, config.jwksMinRefreshInterval());
        this.discovery = new ProviderDiscovery(config, http, clock);
        this.loaPolicy = new LoaPolicy(config.loa(), config.requestAcr(), config.acrMapping());
        this.authorizationRequest = new AuthorizationRequest(config, keys, loaPolicy, providerKeys, clock);
        this.tokenClient = new TokenClient(http, new ClientAuthentication(config, keys, clock));
        this.jwtReader = new ProviderJwtReader(keys, providerKeys);
        this.userInfoClient = new UserInfoClient(config, http, jwtReader);
        this.claimMapping = new ClaimMapping(config.claimMapping(), config.defaultAmr());
    }

    @Override
    public String id() {
        return config.common().id();
    }

    @Override
    public String type() {
        return config.common().type();
    }

    @Override
    public Map<String, String> displayName() {
        return config.common().displayName();
    }

    @Override
    public String logo() {
        return config.common().logo();
    }

    @Override
    public Loa maxLoa() {
        return config.loa();
    }

    /** The configuration this connector runs with (the secret is left out of its toString). */
    public OidcConnectorConfig config() {
        return config;
    }

    /** Whether the discovery document has been read; if not, another attempt runs in the background. */
    @Override
    public boolean available() {
        return discovery.ready();
    }

    @Override
    public void warmUp() {
        discovery.warmUp();
    }

    @Override
    public URI start(LoginContext login) {
        return authorizationRequest.build(login, discovery.current());
    }

    @Override
    public UpstreamIdentity finish(LoginContext login, Callback callback) {
        CallbackChecks.stateMatches(callback, login.state());
        ProviderMetadata metadata = discovery.current();
        CallbackChecks.issuerMatches(callback, config.issuer(), metadata.issParameterSupported());
        CallbackChecks.noError(callback);
        String code = CallbackChecks.code(callback);

        TokenClient.Tokens tokens = tokenClient.redeem(metadata, code, login);

        JWTClaimsSet idToken = jwtReader.read("IdToken", tokens.idToken(), config.idTokenEncrypted(),
                config.idTokenSigningAlg(), metadata.jwksUri());
        Instant now = clock.instant();
        String subject = IdTokenChecks.subjectPresent(idToken);
        IdTokenChecks.issuerMatches(idToken, config.issuer());
        IdTokenChecks.audienceContainsClient(idToken, config.clientId());
        IdTokenChecks.authorizedPartyMatches(idToken, config.clientId());
        IdTokenChecks.notExpired(idToken, now, config.clockSkew());
        IdTokenChecks.notBefore(idToken, now, config.clockSkew());
        IdTokenChecks.issuedRecently(idToken, now, config.clockSkew());
        IdTokenChecks.nonceMatches(idToken, login.nonce());
        Instant authTime = IdTokenChecks.authTimeValid(idToken, config.maxAge(), now, config.clockSkew());
        IdTokenChecks.accessTokenHashMatches(idToken, tokens.accessToken(), config.idTokenSigningAlg());
        Loa loa = loaPolicy.achieved(idToken.getClaim("acr"), login.requiredLoa());

        Map<String, Object> userInfo = config.userInfo() == UserInfo.NONE
                ? Map.of() : userInfoClient.fetch(metadata, tokens.accessToken(), subject);
        Map<String, Object> attributes = claimMapping.attributes(idToken.getClaims(), userInfo);
        List<String> amr = claimMapping.amr(idToken.getClaim("amr"));
        return new UpstreamIdentity(id(), subject, loa, amr, authTime != null ? authTime : now, attributes);
    }

    @Override
    public String toString() {
        return "OidcConnector[" + config.common().id() + " -> " + config.issuer() + "]";
    }
}
